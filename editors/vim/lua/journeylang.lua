-- journeylang's language server in Neovim's built-in LSP client: `journey lsp` attached to
-- every `journey` buffer. Usage (docs/lsp.md): require("journeylang").setup()
local M = {}

function M.setup(options)
  options = options or {}
  local cmd = options.cmd or { "journey", "lsp" }
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "journey",
    group = vim.api.nvim_create_augroup("journeylang_lsp", { clear = true }),
    callback = function(args)
      local config = {
        name = "journey",
        cmd = cmd,
        -- a workspace is the file's directory: its .journey files and its journeys.lock
        root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ":p:h"),
      }
      if vim.lsp.start then  -- Neovim 0.8 and later
        vim.lsp.start(config, { bufnr = args.buf })
      else  -- Neovim 0.7
        local client = vim.lsp.start_client(config)
        if client then
          vim.lsp.buf_attach_client(args.buf, client)
        end
      end
    end,
  })
end

return M
