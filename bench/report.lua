-- wrk script for bench/run.py: prints one line, "BENCH_RESULT {json}", with the run's
-- request count, duration, latency percentiles, errors and responses by status code.
--
-- Arguments after "--":
--   distinct-clients  each request says it comes from another client address, in the
--                     X-Forwarded-For header that the proxy would set (per-client
--                     throttles then count each request for a different client).
--   method=METHOD     the requests' method (GET unless told).
--   body=TEXT         the requests' body; each "{n}" in it becomes the request's own
--                     number (a throttle per submitted value, such as an email address,
--                     then counts each request for a different value).
--
-- The numbers of a run start at random (seeded by the clock), so that those of one
-- round are not the last round's again: the throttles' counts do not add up over the
-- rounds.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

-- Per thread (each has a Lua state of its own).
statuses = {}
local distinct_clients = false
local method = nil
local body = nil
local numbered_body = false
local static_request = nil
local counter = 0

function init(args)
  for _, arg in ipairs(args) do
    if arg == "distinct-clients" then
      distinct_clients = true
    elseif arg:sub(1, 7) == "method=" then
      method = arg:sub(8)
    elseif arg:sub(1, 5) == "body=" then
      body = arg:sub(6)
      numbered_body = body:find("{n}", 1, true) ~= nil
    end
  end
  math.randomseed(os.time())
  counter = math.random(0, 2 ^ 30)
  static_request = wrk.format(method, nil, nil, body)
end

function request()
  if not (distinct_clients or numbered_body) then
    return static_request
  end
  counter = counter + 1
  local headers = nil
  if distinct_clients then
    headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    -- 10.x.y.z: the thread's number, then its request count (2^16 before they repeat).
    local n = thread_index * 65536 + counter % 65536
    headers["X-Forwarded-For"] = string.format(
      "10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256
    )
  end
  -- The thread's number, then its request count: no other request of the run has it.
  local text = numbered_body and body:gsub("{n}", thread_index .. "-" .. counter) or body
  return wrk.format(method, nil, headers, text)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local by_status = {}
  for status, count in pairs(counts) do
    table.insert(by_status, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    table.concat(by_status, ", ")
  ))
end
