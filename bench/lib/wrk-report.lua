-- wrk script for bench/lib/generator.mjs: prints one JSON line of figures when the run ends and,
-- when WRK_REQUESTS names a file of requests (one per line: method, path, bearer token, JSON body,
-- tab-separated; token and body may be empty), sends them in rotation, one per request (each is
-- formatted once, at start). Without WRK_REQUESTS no `request` function is defined, so wrk sends
-- its one pre-built request at full speed.
local requests_file = os.getenv("WRK_REQUESTS")

if requests_file and requests_file ~= "" then
  local requests = {}
  local next_index = 0

  init = function(args)
    for line in io.lines(requests_file) do
      if line ~= "" then
        local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
        local headers = {}
        for name, value in pairs(wrk.headers) do headers[name] = value end
        if token ~= "" then headers["Authorization"] = "Bearer " .. token end
        if body == "" then
          body = nil
        else
          headers["Content-Type"] = "application/json"
        end
        requests[#requests + 1] = wrk.format(method, path, headers, body)
      end
    end
  end

  request = function()
    next_index = next_index + 1
    if next_index > #requests then next_index = 1 end
    return requests[next_index]
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%.1f,"p99":%.1f,"mean":%.1f,"max":%.1f}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
