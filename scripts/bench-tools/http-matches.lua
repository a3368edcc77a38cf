-- wrk script for scripts/bench: GET a recommendation route as the bureau. Arguments: a file of
-- record ids (one drawn at random per request), the bearer token, and the path with "{id}"
-- where the id goes (default: programs for a demand).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
  ids = {}
  assert(args[1] and args[2], "usage: wrk … -s http-matches.lua URL -- IDS_FILE TOKEN [PATH]")
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  assert(#ids > 0, "no ids in " .. args[1])
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  template = args[3] or "/v1/demands/{id}/matches?kind=programs&limit=20"
  prefix, suffix = template:match("^(.*){id}(.*)$")
  assert(prefix, "the path must contain {id}: " .. template)
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)] .. suffix)
end
