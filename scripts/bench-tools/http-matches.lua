-- wrk script for scripts/bench: GET /v1/demands/{id}/matches?kind=programs&limit=20 as the
-- bureau, demand ids drawn at random from the file named by the first script argument; the
-- second argument is the bearer token.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
  ids = {}
  assert(args[1] and args[2], "usage: wrk … -s http-matches.lua URL -- IDS_FILE TOKEN")
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  assert(#ids > 0, "no ids in " .. args[1])
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
  return wrk.format("GET", "/v1/demands/" .. ids[math.random(#ids)] .. "/matches?kind=programs&limit=20")
end
