-- Start an attempt, then submit all its answers; repeat with the next learner.
--
-- Run with as many threads as connections (-t16 -c16): each thread then has one connection, so a
-- response always belongs to the thread's last request. Learners rotate per thread, so no two
-- connections act for the same learner at once. BENCH_DATA names a Lua file written by run.py:
-- { start_path = "...", body = "<submit JSON>", tokens = { ... }, threads = 16 }.
package.path = "bench/?.lua;" .. package.path
local report = require("report")
local data = dofile(os.getenv("BENCH_DATA"))

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_number", thread_count)
   table.insert(threads, thread)
end

local step = 0
local token, attempt_id
starts, submits, failures = 0, 0, 0

local function headers_for(current_token)
   return {
      ["Authorization"] = "Token " .. current_token,
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
   }
end

function request()
   if attempt_id then
      return wrk.format("POST", "/api/v1/attempts/" .. attempt_id .. "/submit/", headers_for(token), data.body)
   end
   local index = ((thread_number - 1) + step * data.threads) % #data.tokens + 1
   step = step + 1
   token = data.tokens[index]
   return wrk.format("POST", data.start_path, headers_for(token), "{}")
end

function response(status, headers, body)
   if attempt_id then
      if status >= 200 and status < 300 then
         submits = submits + 1
      else
         failures = failures + 1
      end
      attempt_id = nil
      return
   end
   local id = body:match('"id"%s*:%s*"(%x+%-%x+%-%x+%-%x+%-%x+)"')
   if status >= 200 and status < 300 and id then
      starts = starts + 1
      attempt_id = id
   else
      failures = failures + 1
   end
end

function done(summary, latency, requests)
   local total_starts, total_submits, total_failures = 0, 0, 0
   for _, thread in ipairs(threads) do
      total_starts = total_starts + thread:get("starts")
      total_submits = total_submits + thread:get("submits")
      total_failures = total_failures + thread:get("failures")
   end
   local fields = report.fields(summary, latency)
   table.insert(fields, string.format('"starts":%d', total_starts))
   table.insert(fields, string.format('"submits":%d', total_submits))
   table.insert(fields, string.format('"failures":%d', total_failures))
   report.print(fields)
end
