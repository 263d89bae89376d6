-- The user commands :HindsightRecord, :HindsightOpen and :HindsightHistory; the debugger ones need
-- nvim-dap, the others run `hindsight record` or steer the language server.
local config = require('hindsight.config')

local M = {}

local function has_dap()
  return (pcall(require, 'dap'))
end

--- Records the current file into its workspace's .hindsight/ and says what `hindsight record` said.
--- ON_DONE (optional) gets the exit code once the summary is shown.
function M.record(on_done)
  local file = vim.api.nvim_buf_get_name(0)
  if file == '' or vim.bo.modified then
    vim.notify('hindsight: save the file first: :HindsightRecord runs the file as it is on disk', vim.log.levels.ERROR)
    return
  end
  local args = config.options.python and { 'record', '--python', config.options.python, file } or { 'record', file }
  local root = config.root(0)
  vim.notify('hindsight: recording ' .. vim.fn.fnamemodify(file, ':t') .. ' …', vim.log.levels.INFO)
  local ok, err = pcall(vim.system, config.command(unpack(args)), { cwd = root, text = true, stdin = false }, vim.schedule_wrap(function(result)
    -- The program's own output and traceback come first; Hindsight's summary lines start with "hindsight:".
    local summary = vim.tbl_filter(function(line) return vim.startswith(line, 'hindsight:') end, vim.split(result.stderr or '', '\n'))
    if #summary == 0 then summary = { 'hindsight: record exited with code ' .. result.code .. ': ' .. vim.trim(result.stderr or '') } end
    local level = result.code == 0 and vim.log.levels.INFO or vim.log.levels.WARN
    if result.code ~= 0 then table.insert(summary, 'hindsight: the program exited with code ' .. result.code) end
    vim.notify(table.concat(summary, '\n'), level)
    -- A trace opened with :HindsightOpen pinned the language server; the new recording is what to show now.
    if config.options.lsp_settings.trace then require('hindsight.lsp').show_trace(nil) end
    if on_done then on_done(result.code) end
  end))
  if not ok then
    vim.notify('hindsight: cannot run ' .. config.options.cmd[1] .. ' (' .. tostring(err) .. '): set cmd in setup{}', vim.log.levels.ERROR)
  end
end

--- Replays TRACE (nil: the newest, or a pick) in nvim-dap; without nvim-dap, the language server shows it.
function M.open(trace)
  trace = trace and vim.fn.fnamemodify(trace, ':p')
  if trace and vim.fn.filereadable(trace) == 0 then
    vim.notify('hindsight: no such trace: ' .. trace, vim.log.levels.ERROR)
    return
  end
  if has_dap() then return require('hindsight.dap').open(trace) end
  if not trace then
    trace = config.traces(config.root(0))[1]
    if not trace then return vim.notify('hindsight: no trace in .hindsight/: record one with :HindsightRecord', vim.log.levels.ERROR) end
  end
  require('hindsight.lsp').show_trace(trace)
  vim.notify('hindsight: nvim-dap is not installed, so the trace is shown in the language server only: ' .. trace, vim.log.levels.INFO)
end

function M.setup()
  vim.api.nvim_create_user_command('HindsightRecord', function() M.record() end,
    { desc = 'Hindsight: record the current file into .hindsight/' })
  vim.api.nvim_create_user_command('HindsightOpen', function(cmd) M.open(cmd.args ~= '' and cmd.args or nil) end,
    { nargs = '?', complete = 'file', desc = 'Hindsight: replay a trace (default: the newest)' })
  vim.api.nvim_create_user_command('HindsightHistory', function(cmd)
    if not has_dap() then
      return vim.notify('hindsight: :HindsightHistory needs nvim-dap and a stopped Hindsight session', vim.log.levels.ERROR)
    end
    require('hindsight.dap').history(cmd.args ~= '' and cmd.args or vim.fn.expand('<cword>'))
  end, { nargs = '?', desc = 'Hindsight: every change of a variable at the stop, in the quickfix list' })
end

return M
