-- Headless Neovim (0.7+) smoke test: start `gostatic lsp` for the Go buffer given on the command line,
-- wait for its diagnostics, write their codes to $GOSTATIC_OUT, quit. Uses the 0.7-era API on purpose
-- (vim.lsp.start_client + buf_attach_client), the oldest one the editors/nvim recipe supports.
local out = assert(os.getenv("GOSTATIC_OUT"))
local cmd = vim.split(assert(os.getenv("GOSTATIC_CMD")), "\t", { plain = true })
-- the init file runs before the file is loaded: start once Neovim has entered
vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local bufnr = vim.api.nvim_get_current_buf()
    local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":p:h")

    local client_id = vim.lsp.start_client({ name = "gostatic", cmd = cmd, root_dir = root })
    if not client_id then
      vim.fn.writefile({ "ERROR: start_client failed" }, out)
      vim.cmd("qa!")
      return
    end
    vim.lsp.buf_attach_client(bufnr, client_id)

    local ok = vim.wait(30000, function()
      return #vim.diagnostic.get(bufnr) > 0
    end, 50)

    local lines = {}
    if not ok then
      table.insert(lines, "ERROR: no diagnostics within 30 s")
    end
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code
      if code == nil and d.user_data and d.user_data.lsp then
        code = d.user_data.lsp.code
      end
      table.insert(lines, string.format("%s %d %d %s", tostring(code), d.lnum, d.col, tostring(d.source)))
    end
    vim.fn.writefile(lines, out)
    vim.lsp.stop_client(client_id)
    vim.wait(2000, function()
      return vim.lsp.get_client_by_id(client_id) == nil
    end, 50)
    vim.cmd("qa!")
  end,
})
