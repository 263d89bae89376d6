-- The language client: `hindsight lsp --stdio` on Python buffers with code lenses and inlay hints on,
-- through vim.lsp.config/enable where Neovim has them (0.11+), else vim.lsp.start on FileType (0.10).
local config = require('hindsight.config')

local M = {}
local NAME = 'hindsight'
-- 0.12 keeps lenses fresh itself (vim.lsp.codelens.enable, and the refresh request); 0.10 does not.
local lenses_managed = vim.lsp.codelens.enable ~= nil

local function refresh_lenses(bufnr)
  if vim.api.nvim_buf_is_loaded(bufnr) then vim.lsp.codelens.refresh({ bufnr = bufnr }) end
end

local function on_attach(client, bufnr)
  vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  if lenses_managed then
    vim.lsp.codelens.enable(true, { bufnr = bufnr, client_id = client.id })
    return
  end
  refresh_lenses(bufnr)
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
    buffer = bufnr,
    group = vim.api.nvim_create_augroup('hindsight-lenses-' .. bufnr, { clear = true }),
    callback = function() refresh_lenses(bufnr) end,
  })
end

-- The server asks for this when a new trace lands or the debugger moves.
local function on_lens_refresh(_, _, ctx)
  for bufnr in pairs(vim.lsp.get_client_by_id(ctx.client_id).attached_buffers) do refresh_lenses(bufnr) end
  return vim.NIL
end

local function client_config()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.workspace.codeLens = { refreshSupport = true }
  -- 0.10 pulls diagnostics only on open and change, never when a new trace lands: let the server push them.
  if not (capabilities.workspace.diagnostics or {}).refreshSupport then capabilities.textDocument.diagnostic = nil end
  return {
    cmd = config.command('lsp', '--stdio'),
    capabilities = capabilities,
    init_options = { hindsight = config.options.lsp_settings },
    handlers = not lenses_managed and { ['workspace/codeLens/refresh'] = on_lens_refresh } or nil,
    on_attach = on_attach,
  }
end

local function start(bufnr)
  local client = vim.tbl_extend('force', client_config(), { name = NAME, root_dir = config.root(bufnr) })
  vim.lsp.start(client, { bufnr = bufnr })
end

function M.setup()
  if vim.lsp.config and vim.lsp.enable then
    local client = client_config()
    client.filetypes = { 'python' }
    client.root_dir = function(bufnr, on_dir) on_dir(config.root(bufnr)) end
    vim.lsp.config(NAME, client)
    vim.lsp.enable(NAME)
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'python',
    group = vim.api.nvim_create_augroup('hindsight-lsp', { clear = true }),
    callback = function(args) start(args.buf) end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'python' then start(bufnr) end
  end
end

--- Makes the language server show TRACE (nil: the newest trace of the workspace again).
function M.show_trace(trace)
  config.options.lsp_settings.trace = trace
  local settings = { hindsight = config.options.lsp_settings }
  for _, client in ipairs(vim.lsp.get_clients({ name = NAME })) do
    if vim.fn.has('nvim-0.11') == 1 then
      client:notify('workspace/didChangeConfiguration', { settings = settings })
    else
      client.notify('workspace/didChangeConfiguration', { settings = settings })
    end
  end
end

return M
