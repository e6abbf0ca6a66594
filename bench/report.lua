-- Shared by every scenario: print wrk's summary and latency percentiles as one JSON line that
-- bench/run.py parses (wrk's own text output rounds and changes units).
local report = {}

function report.fields(summary, latency)
   local errors = summary.errors
   return {
      string.format('"requests":%d', summary.requests),
      string.format('"duration_us":%d', summary.duration),
      string.format('"latency_p50_us":%d', latency:percentile(50)),
      string.format('"latency_p90_us":%d', latency:percentile(90)),
      string.format('"latency_p99_us":%d', latency:percentile(99)),
      string.format('"latency_max_us":%d', latency.max),
      string.format('"latency_mean_us":%.1f', latency.mean),
      string.format('"errors_connect":%d', errors.connect),
      string.format('"errors_read":%d', errors.read),
      string.format('"errors_write":%d', errors.write),
      string.format('"errors_status":%d', errors.status),
      string.format('"errors_timeout":%d', errors.timeout),
   }
end

function report.print(fields)
   io.write("BENCH_JSON {" .. table.concat(fields, ",") .. "}\n")
end

function report.done(summary, latency, requests)
   report.print(report.fields(summary, latency))
end

return report
