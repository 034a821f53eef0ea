-- wrk script for bench/patch/run.sh, appended to the generated `fixtures` table: one entry per wrk
-- thread, {token = API token of its own account, zones = that account's zone ids}. Each thread walks
-- its own zones in turn and flips one on/off setting (the script's argument, default websockets: a
-- fresh zone has it on) each time it comes round, so every PATCH changes a value and creates a
-- revision as long as a thread has more zones than connections. A new wrk run starts again from "off",
-- so each run is given a setting no earlier run changed.

local next_thread = 1

function setup(thread)
  thread:set("index", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  setting = args[1] or "websockets"
  local mine = fixtures[index]
  token, zones, sent = mine.token, mine.zones, 0
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
end

function request()
  local zone = zones[sent % #zones + 1]
  local value = (math.floor(sent / #zones) % 2 == 0) and "off" or "on"
  sent = sent + 1
  return wrk.format("PATCH", "/client/v4/zones/" .. zone .. "/settings/" .. setting, headers,
    '{"value":"' .. value .. '"}')
end
