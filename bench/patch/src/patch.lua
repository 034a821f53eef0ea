-- wrk script for bench/patch/run.sh, appended to the generated `fixtures` table: one entry per wrk
-- thread, {tokens = API tokens of its own account, zones = that account's zone ids}; requests use
-- the tokens in turn. Each thread walks
-- its own zones in turn; each round of the walk flips one of the on/off settings given as the first
-- argument (comma-separated, default "websockets,ip_geolocation": a fresh zone has both on), in
-- turn, so every PATCH changes a value and creates a revision as long as a thread has more zones
-- than connections, and the JIT sees every listed setting from the start.
--
-- The second argument names a state file: a run continues from the count an earlier run with the
-- same file left there (`done` writes it), so the measured run carries on exactly where the
-- warm-up stopped, with the same workload and the same values in effect.

local next_thread = 1
local threads = {}

function setup(thread)
  thread:set("index", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local function saved_counts(path)
  local counts = {}
  local file = path and io.open(path, "r")
  if file then
    for line in file:lines() do
      local index, count = line:match("^(%d+) (%d+)$")
      if index then counts[tonumber(index)] = tonumber(count) end
    end
    file:close()
  end
  return counts
end

function init(args)
  settings = {}
  for setting in string.gmatch(args[1] or "websockets,ip_geolocation", "[^,]+") do
    table.insert(settings, setting)
  end
  state_file = args[2]
  local mine = fixtures[index]
  zones = mine.zones
  sent = saved_counts(state_file)[index] or 0
  headers = {}
  for _, token in ipairs(mine.tokens) do
    table.insert(headers, {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"})
  end
end

function request()
  local round = math.floor(sent / #zones)
  local setting = settings[round % #settings + 1]
  local value = (math.floor(round / #settings) % 2 == 0) and "off" or "on"
  local zone = zones[sent % #zones + 1]
  sent = sent + 1
  return wrk.format("PATCH", "/client/v4/zones/" .. zone .. "/settings/" .. setting, headers[sent % #headers + 1],
    '{"value":"' .. value .. '"}')
end

function done(summary, latency, requests)
  local path = threads[1] and threads[1]:get("state_file")
  if not path then return end
  local file = assert(io.open(path, "w"))
  for _, thread in ipairs(threads) do
    file:write(thread:get("index"), " ", thread:get("sent"), "\n")
  end
  file:close()
end
