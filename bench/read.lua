-- A plain GET scenario: the URL and headers come from the command line; this only reports.
package.path = "bench/?.lua;" .. package.path
local report = require("report")

done = report.done
