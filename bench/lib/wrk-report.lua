-- wrk script for bench/lib/generator.mjs: prints one JSON line of figures when the run ends and,
-- when WRK_TOKENS names a file of bearer tokens (one per line), sends a different token on every
-- request (the requests are formatted once, at start). Without WRK_TOKENS no `request` function
-- is defined, so wrk sends its one pre-built request at full speed.
local tokens_file = os.getenv("WRK_TOKENS")

if tokens_file and tokens_file ~= "" then
  local requests = {}
  local next_index = 0

  init = function(args)
    for token in io.lines(tokens_file) do
      if token ~= "" then
        requests[#requests + 1] = wrk.format(nil, nil, { Authorization = "Bearer " .. token })
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
