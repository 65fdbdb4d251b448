-- Decides one request against every window of its key, atomically, in one call.
-- The same arithmetic as Gcra.java and SlidingWindow.java, in microseconds of Redis' own clock:
-- gateways whose clocks disagree still count in one time.
--
-- KEYS[i]  the state of window i; all keys of a call share one hash tag, so one cluster slot
-- ARGV[1]  'gcra' or 'sliding-window'
-- ARGV[2]  how long a request may wait for its turn (gcra, throttle mode), microseconds
-- ARGV[3i], ARGV[3i+1], ARGV[3i+2]  requests, period (microseconds) and burst of window i
-- Returns  admitted (1 or 0), delay, retry after, tightest window (0-based), remaining, reset
--          (times in microseconds)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local algorithm = ARGV[1]
local max_delay = tonumber(ARGV[2])
local n = #KEYS
local admitted = 1
local delay = 0
local retry = 0
local tightest, tightest_remaining, tightest_reset = 0, -1, 0

local function consider(i, remaining, reset)
  if remaining < 0 then remaining = 0 end
  if tightest_remaining < 0 or remaining < tightest_remaining
      or (remaining == tightest_remaining and reset > tightest_reset) then
    tightest, tightest_remaining, tightest_reset = i - 1, remaining, reset
  end
end

if algorithm == 'gcra' then
  local tats, intervals, bursts = {}, {}, {}
  for i = 1, n do
    local requests, period, burst = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
    local interval = math.ceil(period / requests)
    local tat = tonumber(redis.call('GET', KEYS[i]) or 0)
    if tat < now then tat = now end
    local wait = tat + interval - now - burst * interval
    if wait > max_delay then
      admitted = 0
      if wait - max_delay > retry then retry = wait - max_delay end
    elseif wait > delay then
      delay = wait
    end
    tats[i], intervals[i], bursts[i] = tat, interval, burst
  end
  for i = 1, n do
    local tat = tats[i]
    if admitted == 1 then
      tat = tat + intervals[i]
      redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
    end
    consider(i, math.floor((bursts[i] * intervals[i] - (tat - now)) / intervals[i]), tat - now)
  end
else
  local starts, counts, previous, estimates = {}, {}, {}, {}
  for i = 1, n do
    local requests, period = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
    local state = redis.call('HMGET', KEYS[i], 's', 'c', 'p')
    local start = now - (now % period)
    local s, c, p = tonumber(state[1]) or 0, tonumber(state[2]) or 0, tonumber(state[3]) or 0
    if s ~= start then
      if s == start - period then p = c else p = 0 end
      c = 0
    end
    local estimate = p * ((period - (now - start)) / period) + c
    if estimate + 1 > requests then
      admitted = 0
      local at
      if c + 1 <= requests then
        at = start + math.ceil(period * (1 - (requests - c - 1) / p))
      else
        at = start + period + math.ceil(period * (1 - (requests - 1) / c))
      end
      local wait = at - now
      if wait < 1 then wait = 1 end
      if wait > retry then retry = wait end
    end
    starts[i], counts[i], previous[i], estimates[i] = start, c, p, estimate
  end
  for i = 1, n do
    local requests, period = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
    if admitted == 1 then
      redis.call('HSET', KEYS[i], 's', string.format('%.0f', starts[i]), 'c', counts[i] + 1, 'p', previous[i])
      redis.call('PEXPIRE', KEYS[i], math.ceil(2 * period / 1000) + 1)
    end
    consider(i, math.floor(requests - estimates[i] - admitted), starts[i] + period - now)
  end
end

if admitted == 0 then delay = 0 end
return {admitted, delay, retry, tightest, tightest_remaining, tightest_reset}
