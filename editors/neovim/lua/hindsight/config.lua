-- The options of require('hindsight').setup{} and what they point at: the hindsight command line,
-- the workspace root (the folder holding .hindsight/ or .git) and the traces recorded there.
local M = {}

M.defaults = {
  -- How to run Hindsight: { 'npx', 'hindsight' } in a project that installed it,
  -- { 'node', '/path/to/hindsight/bin/hindsight.js' } for a checkout.
  cmd = { 'hindsight' },
  -- The Python that records (nil: $HINDSIGHT_PYTHON, else python3).
  python = nil,
  -- false: no keymaps; a table replaces some of the keys below.
  keymaps = true,
  -- 'stdio', or 'tcp': nvim-dap starts `hindsight dap --port N --token T` (a random T per session, passed
  -- in launch and attach) and connects to 127.0.0.1:N.
  dap_transport = 'stdio',
  -- The language server's settings (docs/lsp.md): callCountHints, lineHitHints, fadeUnexecuted, …
  lsp_settings = {},
}

M.default_keys = {
  step_back = '<leader>hb',
  reverse_continue = '<leader>hc',
  reverse_step_in = '<leader>hi',
  reverse_step_out = '<leader>ho',
  goto_event = '<leader>hg',
  history = '<leader>hh',
}

M.options = vim.deepcopy(M.defaults)

function M.set(opts)
  opts = opts or {}
  if opts.dap_transport ~= nil and opts.dap_transport ~= 'stdio' and opts.dap_transport ~= 'tcp' then
    error("hindsight: dap_transport must be 'stdio' or 'tcp', not " .. vim.inspect(opts.dap_transport))
  end
  M.options = vim.tbl_extend('force', vim.deepcopy(M.defaults), opts)
end

--- The keymaps to set: {} when they are off.
function M.keys()
  local keymaps = M.options.keymaps
  if keymaps == false then return {} end
  return vim.tbl_extend('force', M.default_keys, type(keymaps) == 'table' and keymaps or {})
end

--- The hindsight command line with these arguments, e.g. command('lsp', '--stdio').
function M.command(...)
  return vim.list_extend(vim.deepcopy(M.options.cmd), { ... })
end

--- The workspace of a buffer: the nearest folder up with .hindsight/ or .git, else the current directory.
function M.root(bufnr)
  return vim.fs.root(bufnr or 0, { '.hindsight', '.git' }) or vim.fn.getcwd()
end

--- The traces under ROOT/.hindsight/, newest first.
function M.traces(root)
  local traces = vim.fn.glob(vim.fs.joinpath(root, '.hindsight', '*.trace.db'), true, true)
  local mtime = {}
  for _, trace in ipairs(traces) do mtime[trace] = vim.fn.getftime(trace) end
  table.sort(traces, function(a, b)
    if mtime[a] ~= mtime[b] then return mtime[a] > mtime[b] end
    return a > b -- names end in the recording time
  end)
  return traces
end

return M
