-- Decides requests of one key against every window of the key, atomically, in one call.
-- The same arithmetic as Gcra.java and SlidingWindow.java, in microseconds of Redis' own clock:
-- gateways whose clocks disagree still count in one time.
--
-- KEYS[i]  the state of window i; all keys of a call share one hash tag, so one cluster slot
-- ARGV[1]  'gcra' or 'sliding-window'
-- ARGV[2]  how long a request may wait for its turn (gcra, throttle mode), microseconds
-- ARGV[3i], ARGV[3i+1], ARGV[3i+2]  requests, period (microseconds) and burst of window i
-- ARGV[3n+3]  how many requests to decide, one after the other, as if each came in a call of its
--          own (optional, 1 when absent): a gateway merges the calls of one key that one turn of
--          its event loop made
-- Returns  for each request in turn: admitted (1 or 0), delay, retry after, tightest window
--          (0-based), remaining, reset (times in microseconds); six numbers per request
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local algorithm = ARGV[1]
local max_delay = tonumber(ARGV[2])
local n = #KEYS
local count = tonumber(ARGV[3 * n + 3]) or 1
local result = {}

-- the window closest to refusing so far, with window i's figures considered
local function tighter(i, remaining, reset, tightest, tightest_remaining, tightest_reset)
  if remaining < 0 then remaining = 0 end
  if tightest_remaining < 0 or remaining < tightest_remaining
      or (remaining == tightest_remaining and reset > tightest_reset) then
    return i - 1, remaining, reset
  end
  return tightest, tightest_remaining, tightest_reset
end

local answered = 0
local function answer(admitted, delay, retry, tightest, tightest_remaining, tightest_reset)
  if admitted == 0 then delay = 0 end
  result[answered + 1], result[answered + 2], result[answered + 3] = admitted, delay, retry
  result[answered + 4], result[answered + 5], result[answered + 6] = tightest, tightest_remaining, tightest_reset
  answered = answered + 6
end

local changed = false
if algorithm == 'gcra' then
  local tats, intervals, bursts = {}, {}, {}
  for i = 1, n do
    local requests, period = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
    intervals[i], bursts[i] = math.ceil(period / requests), tonumber(ARGV[3 * i + 2])
    tats[i] = tonumber(redis.call('GET', KEYS[i]) or 0)
  end
  local current = {}
  for _ = 1, count do
    local admitted, delay, retry = 1, 0, 0
    local tightest, tightest_remaining, tightest_reset = 0, -1, 0
    for i = 1, n do
      local tat = tats[i]
      if tat < now then tat = now end
      local wait = tat + intervals[i] - now - bursts[i] * intervals[i]
      if wait > max_delay then
        admitted = 0
        if wait - max_delay > retry then retry = wait - max_delay end
      elseif wait > delay then
        delay = wait
      end
      current[i] = tat
    end
    for i = 1, n do
      local tat = current[i]
      if admitted == 1 then
        tat = tat + intervals[i]
        tats[i] = tat
        changed = true
      end
      tightest, tightest_remaining, tightest_reset = tighter(i,
          math.floor((bursts[i] * intervals[i] - (tat - now)) / intervals[i]), tat - now,
          tightest, tightest_remaining, tightest_reset)
    end
    answer(admitted, delay, retry, tightest, tightest_remaining, tightest_reset)
  end
  if changed then
    for i = 1, n do
      redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000) + 1)
    end
  end
else
  local limits, periods, starts, counts, previous = {}, {}, {}, {}, {}
  for i = 1, n do
    local period = tonumber(ARGV[3 * i + 1])
    local state = redis.call('HMGET', KEYS[i], 's', 'c', 'p')
    local start = now - (now % period)
    local s, c, p = tonumber(state[1]) or 0, tonumber(state[2]) or 0, tonumber(state[3]) or 0
    if s ~= start then
      if s == start - period then p = c else p = 0 end
      c = 0
    end
    limits[i], periods[i], starts[i], counts[i], previous[i] = tonumber(ARGV[3 * i]), period, start, c, p
  end
  local estimates = {}
  for _ = 1, count do
    local admitted, retry = 1, 0
    local tightest, tightest_remaining, tightest_reset = 0, -1, 0
    for i = 1, n do
      local requests, period = limits[i], periods[i]
      local start, c, p = starts[i], counts[i], previous[i]
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
      estimates[i] = estimate
    end
    for i = 1, n do
      if admitted == 1 then
        counts[i] = counts[i] + 1
        changed = true
      end
      tightest, tightest_remaining, tightest_reset = tighter(i,
          math.floor(limits[i] - estimates[i] - admitted), starts[i] + periods[i] - now,
          tightest, tightest_remaining, tightest_reset)
    end
    answer(admitted, 0, retry, tightest, tightest_remaining, tightest_reset)
  end
  if changed then
    for i = 1, n do
      redis.call('HSET', KEYS[i], 's', string.format('%.0f', starts[i]), 'c', counts[i], 'p', previous[i])
      redis.call('PEXPIRE', KEYS[i], math.ceil(2 * periods[i] / 1000) + 1)
    end
  end
end
return result
