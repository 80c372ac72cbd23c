---@brief
--- trove-spec-lsp: checks OpenStack specs (reStructuredText under `specs/`) against
--- their template: diagnostics, heading completion, template guidance on hover,
--- quick fixes.
---
--- Neovim 0.11+: put this directory (the one holding `lsp/`) on 'runtimepath', then
--- ```lua
--- vim.lsp.enable('trove_spec_lsp')
--- ```
--- Override any field with `vim.lsp.config`, e.g. the binary or the settings:
--- ```lua
--- vim.lsp.config('trove_spec_lsp', {
---   cmd = { vim.fn.expand('~/src/trove-spec-lsp/target/release/trove-spec-lsp') },
---   settings = {
---     ['trove-spec-lsp'] = {
---       template = 'specs/template.rst',
---       severity = { ['line-too-long'] = 'off' },
---       specs = { 'doc/source/specs/**/*.rst' },
---       optional = { 'History' },
---       ['max-line-length'] = 79,
---     },
---   },
--- })
--- ```
--- Settings left out come from `trove-spec-lsp.toml` at the root, else the defaults.
--- `on_attach` turns on Neovim's built-in completion for the buffer (autotrigger).

---@type vim.lsp.Config
return {
  cmd = { 'trove-spec-lsp', 'serve' },
  filetypes = { 'rst' },
  -- The spec repository: its config file, else the directory holding `specs/`,
  -- else the git root.
  root_markers = { 'trove-spec-lsp.toml', 'specs', '.git' },
  -- Neovim's built-in LSP completion (0.11+), popping up on the adornment characters
  -- that start an underline: accepting an item applies its whole edit (a heading with
  -- its underline, the cursor left in the body), which plain omnifunc completion does
  -- not (it inserts only the label). Ask for completion anywhere with <C-x><C-o>.
  -- With a completion plugin (nvim-cmp, blink.cmp) set `on_attach` to your own.
  on_attach = function(client, bufnr)
    if vim.lsp.completion then
      vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = true })
    end
  end,
}
