-- Opens $JOURNEY_FILE with the set-up docs/lsp.md gives for Neovim, waits for the server's
-- diagnostics, and writes what it saw as JSON to $JOURNEY_OUTPUT.
vim.cmd("filetype on")
require("journeylang").setup()
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("JOURNEY_FILE")))

vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)

local attached = {}
local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = 0 })
  or vim.lsp.buf_get_clients(0)
for _, client in pairs(clients) do
  table.insert(attached, client.name)
end
local diagnostics = {}
for _, diagnostic in ipairs(vim.diagnostic.get(0)) do
  local lsp = diagnostic.user_data and diagnostic.user_data.lsp or {}
  table.insert(diagnostics, {
    code = diagnostic.code or lsp.code,
    line = diagnostic.lnum,
    message = diagnostic.message,
  })
end
vim.fn.writefile({ vim.fn.json_encode({ filetype = vim.bo.filetype, clients = attached,
                                        diagnostics = diagnostics }) },
                 os.getenv("JOURNEY_OUTPUT"))
vim.cmd("qall!")
