-- Answer one question in review, again and again (an empty answer: rated Again, due at once).
-- The path and headers (token, JSON) come from the command line; this sets the method and body.
package.path = "bench/?.lua;" .. package.path
local report = require("report")

wrk.method = "POST"
wrk.body = '{"choices": []}'

done = report.done
