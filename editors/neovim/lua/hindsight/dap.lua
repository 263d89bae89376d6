-- nvim-dap wiring: the `hindsight` adapter, the two Python configurations, and the moves nvim-dap has
-- no function for (reverse step in / out, go to an event, a variable's history) as custom requests.
local config = require('hindsight.config')
local lsp = require('hindsight.lsp')

local M = {}
local LAUNCH = 'Hindsight: record & debug this file'
local ATTACH = 'Hindsight: open a trace'

local function notify(message, level)
  vim.notify('hindsight: ' .. message, level or vim.log.levels.ERROR)
end

--- A fresh random token (32 hex digits) for a `hindsight dap --port` server.
local function new_token()
  local bytes = assert((vim.uv or vim.loop).random(16))
  return (bytes:gsub('.', function(byte) return string.format('%02x', byte:byte()) end))
end

local function adapter()
  local cmd = config.options.cmd
  if config.options.dap_transport == 'tcp' then
    -- Each session starts its own server with a token of its own, which its launch or attach carries.
    return function(callback)
      local token = new_token()
      local args = vim.list_extend(vim.list_slice(cmd, 2), { 'dap', '--port', '${port}', '--token', token })
      callback({
        type = 'server', host = '127.0.0.1', port = '${port}',
        executable = { command = cmd[1], args = args },
        enrich_config = function(configuration, on_config) on_config(vim.tbl_extend('force', configuration, { token = token })) end,
      })
    end
  end
  return { type = 'executable', command = cmd[1], args = vim.list_extend(vim.list_slice(cmd, 2), { 'dap' }) }
end

--- The trace to open: the newest of the workspace, or the one picked when there are several.
--- Runs in nvim-dap's coroutine, which pick_if_many resumes.
local function pick_trace()
  local dap = require('dap')
  local traces = config.traces(config.root(0))
  if #traces == 0 then
    notify('no trace in ' .. config.root(0) .. '/.hindsight/: record one with :HindsightRecord')
    return dap.ABORT
  end
  local label = function(trace) return vim.fn.fnamemodify(trace, ':~:.') end
  return require('dap.ui').pick_if_many(traces, 'Trace to open (newest first):', label) or dap.ABORT
end

M.configurations = {
  -- Runs to the first breakpoint hit, else to the end of the recording, from where one steps back.
  {
    type = 'hindsight', request = 'launch', name = LAUNCH, program = '${file}', stopOnEntry = false,
    cwd = function() return config.root(0) end,
  },
  { type = 'hindsight', request = 'attach', name = ATTACH, trace = pick_trace },
}

--- The session to act on, or nil (said) when no hindsight session is stopped.
local function stopped_session()
  local session = require('dap').session()
  if not session or session.config.type ~= 'hindsight' or not session.stopped_thread_id then
    notify('no Hindsight debug session is stopped')
    return nil
  end
  return session
end

local function request(command, arguments, on_answer)
  local session = stopped_session()
  if not session then return end
  session:request(command, arguments(session), function(err, answer)
    if err then notify(command .. ': ' .. (err.message or tostring(err))) elseif on_answer then on_answer(answer, session) end
  end)
end

function M.step_back() require('dap').step_back() end
function M.reverse_continue() require('dap').reverse_continue() end

function M.reverse_step_in()
  request('reverseStepIn', function(session) return { threadId = session.stopped_thread_id } end)
end

function M.reverse_step_out()
  request('reverseStepOut', function(session) return { threadId = session.stopped_thread_id } end)
end

--- Jumps to event SEQ (as `:where` counts them); asks for it when SEQ is nil.
function M.goto_event(seq)
  if not seq then
    vim.ui.input({ prompt = 'Go to event: ' }, function(text)
      if not text or text == '' then return end
      if tonumber(text) then M.goto_event(tonumber(text)) else notify('an event is a number, as :where shows it') end
    end)
    return
  end
  request('gotoPosition', function(session) return { seq = seq, threadId = session.stopped_thread_id } end)
end

--- Every recorded change of NAME as the stopped frame reads it, into the quickfix list.
function M.history(name)
  request('valueHistory', function(session) return { name = name, frameId = session.current_frame.id } end, function(answer, session)
    local frame = session.current_frame
    local items = {}
    for _, change in ipairs(answer.changes) do
      -- A frame id is the seq of the frame's current event, so a later change is one with a larger seq.
      local later = change.seq > frame.id and ' (later)' or ''
      table.insert(items, {
        filename = frame.source and frame.source.path, lnum = change.line,
        text = string.format('%s = %s  [%s, event %d]%s', name, change.value, change.type, change.seq, later),
      })
    end
    local title = string.format('Hindsight: %s (%s, %d change%s)', name, answer.scope, answer.total, answer.total == 1 and '' or 's')
    vim.fn.setqflist({}, ' ', { title = title, items = items })
    vim.cmd('botright copen')
  end)
end

local function set_keymaps()
  local actions = {
    step_back = { M.step_back, 'step back' },
    reverse_continue = { M.reverse_continue, 'reverse continue' },
    reverse_step_in = { M.reverse_step_in, 'reverse step in' },
    reverse_step_out = { M.reverse_step_out, 'reverse step out' },
    goto_event = { function() M.goto_event() end, 'go to event N' },
    history = { function() M.history(vim.fn.expand('<cword>')) end, 'history of the variable under the cursor' },
  }
  for action, lhs in pairs(config.keys()) do
    local entry = actions[action]
    if entry and lhs then vim.keymap.set('n', lhs, entry[1], { desc = 'Hindsight: ' .. entry[2] }) end
  end
end

-- The language server follows the trace a session replays (the newest one after a launch).
local function follow_in_lsp(session)
  if session.config.type == 'hindsight' then lsp.show_trace(session.config.trace) end
end

function M.setup(dap)
  dap.adapters.hindsight = adapter()
  local configurations = vim.tbl_filter(function(c) return c.type ~= 'hindsight' end, dap.configurations.python or {})
  for _, configuration in ipairs(M.configurations) do
    table.insert(configurations, vim.tbl_extend('force', configuration, { python = config.options.python }))
  end
  dap.configurations.python = configurations
  dap.listeners.after.launch.hindsight = follow_in_lsp
  dap.listeners.after.attach.hindsight = follow_in_lsp
  set_keymaps()
end

--- Opens TRACE (nil: pick one) in a debug session.
function M.open(trace)
  local dap = require('dap')
  dap.run(vim.tbl_extend('force', M.configurations[2], { trace = trace or pick_trace }))
end

return M
