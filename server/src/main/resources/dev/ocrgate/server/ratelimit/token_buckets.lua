-- Token buckets, checked and charged atomically: the cost is taken from every bucket or from none.
-- KEYS[i]  : bucket hash {t = tokens left, ts = time of that count in microseconds}
-- ARGV[1]  : now in microseconds, or -1 to use this server's TIME (one clock for every replica)
-- ARGV[2]  : cost in tokens
-- ARGV[2i+1], ARGV[2i+2] : rate (tokens per second) and burst of KEYS[i]
-- Returns {allowed (1|0), retry_after_microseconds (0 when allowed), index of the key needing the
-- longest wait (0 when allowed)}.
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local cost = tonumber(ARGV[2])
local tokens, stamps, wait, worst = {}, {}, 0, 0
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  local st = redis.call('HMGET', KEYS[i], 't', 'ts')
  local tk, ts = tonumber(st[1]), tonumber(st[2])
  if tk == nil or ts == nil then
    tk, ts = burst, now
  end
  if now > ts then
    tk = math.min(burst, tk + (now - ts) * rate / 1000000)
    ts = now
  end
  tokens[i], stamps[i] = tk, ts
  if tk < cost then
    local w = math.ceil((cost - tk) * 1000000 / rate)
    if w > wait then wait, worst = w, i end
  end
end
local allowed = 0
if wait == 0 then allowed = 1 end
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  local tk = tokens[i]
  if allowed == 1 then tk = tk - cost end
  redis.call('HSET', KEYS[i], 't', tostring(tk), 'ts', string.format('%d', stamps[i]))
  redis.call('PEXPIRE', KEYS[i], math.ceil(burst * 1000 / rate) + 1000)
end
return {allowed, wait, worst}
