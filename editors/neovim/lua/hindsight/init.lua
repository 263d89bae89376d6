-- require('hindsight').setup{}: the language client always, nvim-dap's adapter, configurations and
-- keymaps when nvim-dap is installed, and the :Hindsight* commands (doc/hindsight.txt).
local M = {}

function M.setup(opts)
  require('hindsight.config').set(opts)
  require('hindsight.lsp').setup()
  local has_dap, dap = pcall(require, 'dap')
  if has_dap then require('hindsight.dap').setup(dap) end
  require('hindsight.commands').setup()
end

return M
