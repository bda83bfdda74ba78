-- gostatic for Neovim: findings, quick fixes and rule docs from `gostatic lsp`, next to gopls.
-- Put this file on your runtimepath (e.g. ~/.config/nvim/lua/gostatic.lua) and `require("gostatic")`.
local settings = {
  -- select = { "RET", "POOL" },   -- like --select; empty: the project's gostatic.toml decides
  -- ignore = { "LAY001" },
  debounceMs = 250,
}
local cmd = { "gostatic", "lsp" }
local root_markers = { "gostatic.toml", ".gostatic.toml", "go.mod", ".git" }

if vim.lsp.config and vim.lsp.enable then
  -- Neovim 0.11+: declarative configuration; gopls stays enabled as before
  vim.lsp.config("gostatic", {
    cmd = cmd,
    filetypes = { "go" },
    root_markers = root_markers,
    init_options = { gostatic = settings },
    settings = { gostatic = settings },
  })
  vim.lsp.enable("gostatic")
else
  -- Neovim 0.7 - 0.10: start (or reuse) one client per project root for every Go buffer
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "go",
    callback = function(args)
      local file = vim.api.nvim_buf_get_name(args.buf)
      local found = vim.fs and vim.fs.find(root_markers, { upward = true, path = vim.fs.dirname(file) })[1]
      local root = found and vim.fs.dirname(found) or vim.fn.fnamemodify(file, ":p:h")
      for _, client in ipairs(vim.lsp.get_active_clients()) do
        if client.name == "gostatic" and client.config.root_dir == root then
          vim.lsp.buf_attach_client(args.buf, client.id)
          return
        end
      end
      local id = vim.lsp.start_client({
        name = "gostatic",
        cmd = cmd,
        root_dir = root,
        init_options = { gostatic = settings },
        settings = { gostatic = settings },
      })
      if id then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end
