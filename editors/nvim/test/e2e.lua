-- End-to-end: real headless Neovim 0.11, the real trove-spec-lsp binary, a spec from
-- the corpus, and one of the two setups the README gives (NVIM_SETUP):
--   config:  this project's lsp/trove_spec_lsp.lua on 'runtimepath', enabled with
--            vim.lsp.enable, a setting given the Neovim way;
--   snippet: the README's vim.lsp.start snippet for Neovim 0.8-0.10, run as written
--            (the binary under test first on PATH).
-- Run by run.sh as: nvim --headless --clean -c 'luafile e2e.lua'
-- Environment: TROVE_SPEC_LSP (binary), SPEC (the spec to open), ROOT (its repository),
-- NVIM_CONFIG_DIR (editors/nvim), NVIM_SETUP.

local env = vim.env
local results = { passed = 0, failed = 0 }
local WAIT = 10000
local client ---@type vim.lsp.Client?

local function out(line)
  io.stdout:write(line .. '\n')
end

--- Runs one named check; a failure is reported with its reason and counted.
local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    results.passed = results.passed + 1
    out('ok - ' .. name)
  else
    results.failed = results.failed + 1
    out('not ok - ' .. name .. '\n  ' .. tostring(err):gsub('\n', '\n  '))
  end
end

local function wait_for(what, cond)
  if not vim.wait(WAIT, cond, 50) then
    error(('timed out after %d ms waiting for %s'):format(WAIT, what), 2)
  end
end

local function line_of(buf, text)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line == text then
      return i - 1
    end
  end
  error('no line "' .. text .. '" in the buffer', 2)
end

--- The attached client, or an error that names why there is none.
local function attached()
  return assert(client, 'no trove_spec_lsp client attached (see the first failure)')
end

local function lsp_diagnostics(buf, code)
  return vim.tbl_filter(function(d)
    return d.source == 'trove-spec-lsp' and (code == nil or d.code == code)
  end, vim.diagnostic.get(buf))
end

local function summary(buf)
  return table.concat(
    vim.tbl_map(function(d)
      return ('%d:%s'):format(d.lnum + 1, d.code)
    end, lsp_diagnostics(buf)),
    ' '
  )
end

for _, name in ipairs({ 'TROVE_SPEC_LSP', 'SPEC', 'ROOT', 'NVIM_CONFIG_DIR', 'NVIM_SETUP' }) do
  assert(env[name] and env[name] ~= '', name .. ' is not set')
end
local snippet = env.NVIM_SETUP == 'snippet'
local suite = snippet and 'nvim-snippet' or 'nvim'
-- The severity trailing-whitespace is expected at: the setting in config mode, else
-- the default.
local trailing_severity = snippet and vim.diagnostic.severity.ERROR or vim.diagnostic.severity.WARN

--- The README's fenced Lua block that calls vim.lsp.start.
local function readme_snippet()
  local readme = table.concat(vim.fn.readfile(vim.fs.joinpath(env.NVIM_CONFIG_DIR, '../README.md')), '\n')
  for block in readme:gmatch('```lua\n(.-)```') do
    if block:find('vim.lsp.start(', 1, true) then
      return block
    end
  end
  error('no vim.lsp.start snippet in editors/README.md')
end

if snippet then
  assert(load(readme_snippet(), 'README snippet'))()
else
  -- The user's setup: the project's config directory on 'runtimepath', the binary
  -- under test and a setting (the Neovim way, keyed by the server's section), enable.
  vim.opt.runtimepath:prepend(env.NVIM_CONFIG_DIR)
  vim.lsp.config('trove_spec_lsp', {
    cmd = { env.TROVE_SPEC_LSP, 'serve' },
    settings = { ['trove-spec-lsp'] = { severity = { ['trailing-whitespace'] = 'warning' } } },
  })
  vim.lsp.enable('trove_spec_lsp')
end
vim.cmd.edit(vim.fn.fnameescape(env.SPEC))
local buf = vim.api.nvim_get_current_buf()

check(snippet and 'the README snippet starts the server for the rst buffer'
  or 'the config file comes from the runtimepath and attaches to the rst buffer', function()
  if not snippet then
    local files = vim.api.nvim_get_runtime_file('lsp/trove_spec_lsp.lua', true)
    assert(
      files[1] == vim.fs.joinpath(env.NVIM_CONFIG_DIR, 'lsp/trove_spec_lsp.lua'),
      'lsp/trove_spec_lsp.lua found first in ' .. env.NVIM_CONFIG_DIR .. ', got ' .. vim.inspect(files)
    )
  end
  assert(vim.bo[buf].filetype == 'rst', 'filetype rst, got ' .. vim.bo[buf].filetype)
  local ok = vim.wait(WAIT, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'trove_spec_lsp' })[1]
    return client ~= nil and client.initialized
  end, 50)
  if not ok then
    client = nil
    local log = vim.fn.readfile(vim.lsp.get_log_path())
    error('trove_spec_lsp did not attach; end of ' .. vim.lsp.get_log_path() .. ':\n'
      .. table.concat(vim.list_slice(log, math.max(1, #log - 15)), '\n'))
  end
  assert(
    snippet or vim.deep_equal(client.config.root_markers, { 'trove-spec-lsp.toml', 'specs', '.git' }),
    'root_markers from the file: ' .. vim.inspect(client.config.root_markers)
  )
  assert(
    client.root_dir == vim.fs.normalize(env.ROOT),
    ('root_dir is the directory holding specs/: %s, got %s'):format(env.ROOT, client.root_dir)
  )
  assert(client.server_info and client.server_info.name == 'trove-spec-lsp', 'serverInfo.name')
  -- Neovim offers utf-8, utf-16 and utf-32; the server prefers utf-8.
  assert(client.offset_encoding == 'utf-8', 'position encoding ' .. tostring(client.offset_encoding))
end)

check('diagnostics: codes and lines', function()
  attached()
  wait_for('missing-section and trailing-whitespace diagnostics', function()
    return #lsp_diagnostics(buf, 'missing-section') > 0 and #lsp_diagnostics(buf, 'trailing-whitespace') > 0
  end)
  local missing = lsp_diagnostics(buf, 'missing-section')
  assert(#missing == 1, 'one missing section: ' .. summary(buf))
  assert(missing[1].message:find('Dependencies', 1, true), 'names Dependencies: ' .. missing[1].message)
  assert(missing[1].severity == vim.diagnostic.severity.ERROR, 'missing-section is an error')
  assert(missing[1].lnum == line_of(buf, 'Testing'), 'at the heading it belongs before: ' .. summary(buf))
  local trailing = lsp_diagnostics(buf, 'trailing-whitespace')
  table.sort(trailing, function(a, b)
    return a.lnum < b.lnum
  end)
  assert(
    #trailing == 2 and trailing[1].lnum == 39 and trailing[2].lnum == 43,
    'trailing-whitespace on lines 40 and 44: ' .. summary(buf)
  )
  for _, d in ipairs(trailing) do
    -- Neovim's columns are bytes: line 44 has multi-byte text before its spaces.
    local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
    local text = line:gsub('%s+$', '')
    assert(d.col == #text and d.end_col == #line, ('line %d: cols %d-%d'):format(d.lnum + 1, d.col, d.end_col))
    assert(
      d.severity == trailing_severity,
      ('severity %d expected, got %s'):format(trailing_severity, tostring(d.severity))
    )
  end
end)

check('hover on a heading: the template guidance', function()
  local line = line_of(buf, 'Problem Description')
  vim.api.nvim_win_set_cursor(0, { line + 1, 3 })
  local params = vim.lsp.util.make_position_params(0, attached().offset_encoding)
  local response = assert(client:request_sync('textDocument/hover', params, WAIT, buf), 'hover timed out')
  assert(not response.err, 'hover error: ' .. vim.inspect(response.err))
  local contents = assert(response.result, 'a hover result').contents
  assert(contents.kind == 'markdown', 'markdown, got ' .. vim.inspect(contents.kind))
  assert(
    contents.value:find('A detailed description of the problem.', 1, true),
    'guidance text in ' .. contents.value
  )
end)

check('completion at the start of a line: the missing heading first, with its underline', function()
  local blank = line_of(buf, 'Testing') - 1
  vim.api.nvim_win_set_cursor(0, { blank + 1, 0 })
  local params = vim.lsp.util.make_position_params(0, attached().offset_encoding)
  local response = assert(client:request_sync('textDocument/completion', params, WAIT, buf), 'timed out')
  assert(not response.err, 'completion error: ' .. vim.inspect(response.err))
  local items = response.result.items or response.result
  table.sort(items, function(a, b)
    return (a.sortText or a.label) < (b.sortText or b.label)
  end)
  local labels = vim.tbl_map(function(i)
    return i.label
  end, items)
  assert(items[1] and items[1].label == 'Dependencies', 'Dependencies first: ' .. vim.inspect(labels))
  assert(not vim.tbl_contains(labels, 'Testing'), 'a present heading is not offered')
  local text = (items[1].textEdit and items[1].textEdit.newText) or items[1].insertText or ''
  assert(text:find('^Dependencies\r?\n============\r?\n') or text:find('^Dependencies\r?\n============$'), text)
end)

--- A second Neovim, set up as a user would with the shipped config (no settings of the
--- test's), holding the spec, driven over RPC with keys as typed: what accepting a
--- completion inserts, in insert mode with the real event loop.
local function user_neovim()
  local sock = vim.fs.joinpath(env.ROOT, 'user-nvim.sock')
  local setup = ([[lua vim.opt.runtimepath:prepend(%q)
    vim.lsp.config('trove_spec_lsp', { cmd = { %q, 'serve' } })
    vim.lsp.enable('trove_spec_lsp')]]):format(env.NVIM_CONFIG_DIR, env.TROVE_SPEC_LSP)
  local job = vim.fn.jobstart({ vim.v.progpath, '--headless', '--clean', '--listen', sock, '-c', setup,
    '-c', 'edit ' .. vim.fn.fnameescape(env.SPEC) }, vim.empty_dict())
  wait_for('the user\'s Neovim to listen', function()
    return vim.uv.fs_stat(sock) ~= nil
  end)
  local chan = vim.fn.sockconnect('pipe', sock, { rpc = true })
  local function lua(code, ...)
    return vim.rpcrequest(chan, 'nvim_exec_lua', code, { ... })
  end
  local function lines()
    return lua('return vim.api.nvim_buf_get_lines(0, 0, -1, false)')
  end
  local function accept_first(what)
    wait_for(what .. ' offered', function()
      return #lua('return vim.fn.complete_info({"items"}).items') > 0
    end)
    -- the first item is selected (completeopt without noselect): accept it
    vim.rpcrequest(chan, 'nvim_input', '<C-y>')
  end
  return {
    job = job,
    chan = chan,
    lua = lua,
    lines = lines,
    accept_first = accept_first,
  }
end

--- Run `fn(user)` in a user's Neovim (see `user_neovim`) once the shipped config has
--- attached with completion on; the Neovim is closed after it, whatever happens.
local function with_user_neovim(fn)
  local user = user_neovim()
  local ok, err = pcall(function()
    wait_for('the shipped config to attach with completion on', function()
      return user.lua([[local c = vim.lsp.get_clients({ bufnr = 0 })[1]
        return c ~= nil and c.initialized and vim.bo.omnifunc == 'v:lua.vim.lsp.omnifunc']])
    end)
    fn(user)
  end)
  vim.rpcrequest(user.chan, 'nvim_input', '<Esc>')
  pcall(vim.rpcrequest, user.chan, 'nvim_command', 'qa!')
  vim.fn.jobwait({ user.job }, WAIT)
  assert(ok, err)
end

-- (the 0.8-0.10 snippet has no vim.lsp.completion)
if not snippet then check('accepting a completion in Neovim inserts the heading, its underline, the cursor in the body', function()
  with_user_neovim(function(user)
    local testing
    for i, line in ipairs(user.lines()) do
      if line == 'Testing' then
        testing = i
      end
    end
    -- on the blank line before "Testing": type "Dep", ask (<C-x><C-o>), accept
    vim.rpcrequest(user.chan, 'nvim_win_set_cursor', 0, { testing - 1, 0 })
    vim.rpcrequest(user.chan, 'nvim_input', 'iDep<C-x><C-o>')
    user.accept_first('Dependencies')
    wait_for('the heading inserted', function()
      return user.lines()[testing - 1] == 'Dependencies'
    end)
    -- the heading, its underline, blank lines (the body, the cursor on one), "Testing" kept
    local all = user.lines()
    local after = testing + 1
    while all[after] == '' do
      after = after + 1
    end
    local got = vim.list_slice(all, testing - 1, after)
    assert(
      all[testing] == '============' and after > testing + 1 and all[after] == 'Testing',
      'inserted: ' .. vim.inspect(got)
    )
    local cursor = user.lua('return vim.api.nvim_win_get_cursor(0)')
    assert(
      cursor[1] > testing and cursor[1] < after and cursor[2] == 0,
      'cursor in the body: ' .. vim.inspect(cursor) .. ' in ' .. vim.inspect(got)
    )
    -- a title of our own, then "=": completion pops up by itself with the underline
    vim.rpcrequest(user.chan, 'nvim_input', 'My Own Heading<CR>=')
    user.accept_first('the underline')
    wait_for('the underline completed', function()
      return user.lines()[cursor[1] + 1] == ('='):rep(#'My Own Heading')
    end)
  end)
end) end

if not snippet then check('a heading completed under a title in the wrong style also restyles the title', function()
  with_user_neovim(function(user)
    -- a title underlined only (the template's has an overline too): its title-style warning
    user.lua([[vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'Faster Backups', '==============', '', '' })]])
    wait_for('the title-style warning', function()
      return user.lua([[return #vim.tbl_filter(function(d)
          return d.code == 'title-style'
        end, vim.diagnostic.get(0))]]) == 1
    end)
    -- "Probl" on the last line, completed: the section underlined like the template's,
    -- and the title given its overline (an additional edit), so it stays the title
    vim.rpcrequest(user.chan, 'nvim_win_set_cursor', 0, { 4, 0 })
    vim.rpcrequest(user.chan, 'nvim_input', 'iProbl<C-x><C-o>')
    user.accept_first('Problem Description')
    wait_for('the heading inserted and the title restyled', function()
      local all = user.lines()
      return all[1] == '==============' and all[2] == 'Faster Backups' and all[3] == '=============='
        and all[5] == 'Problem Description' and all[6] == '==================='
    end)
  end)
end) end

check('code action: insert the missing section; the finding goes away', function()
  attached()
  local missing = assert(lsp_diagnostics(buf, 'missing-section')[1], 'a missing-section diagnostic')
  vim.api.nvim_win_set_cursor(0, { missing.lnum + 1, missing.col })
  local chosen
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      local fits = action.kind == 'quickfix' and action.title:find('Dependencies', 1, true) ~= nil
      chosen = chosen or (fits and action.title or nil)
      return fits
    end,
  })
  wait_for('the fix to edit the buffer', function()
    return vim.tbl_contains(vim.api.nvim_buf_get_lines(buf, 0, -1, false), 'Dependencies')
  end)
  local at = line_of(buf, 'Dependencies')
  local underline = vim.api.nvim_buf_get_lines(buf, at + 1, at + 2, false)[1]
  assert(underline == '============', 'underlined: ' .. vim.inspect(underline))
  wait_for('missing-section to go (now: ' .. summary(buf) .. ')', function()
    return #lsp_diagnostics(buf, 'missing-section') == 0
  end)
  assert(#lsp_diagnostics(buf, 'trailing-whitespace') == 2, 'the other findings stay: ' .. summary(buf))
  out('  applied: ' .. tostring(chosen))
end)

check('saving: Neovim sends the saved text (the server asks for it), the findings stay', function()
  attached()
  local save = vim.tbl_get(client.server_capabilities, 'textDocumentSync', 'save')
  assert(type(save) == 'table' and save.includeText == true, 'save options: ' .. vim.inspect(save))
  local sent
  local notify, own = client.notify, rawget(client, 'notify')
  client.notify = function(self, method, params)
    if method == 'textDocument/didSave' then
      sent = params
    end
    return notify(self, method, params)
  end
  vim.cmd('silent write')
  client.notify = own
  wait_for('didSave', function()
    return sent ~= nil
  end)
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  assert(sent.text == text, 'didSave carries the buffer: ' .. vim.inspect(sent.text and #sent.text))
  -- an in-sync document whose text is the saved text is not analysed again
  vim.wait(300)
  assert(#lsp_diagnostics(buf, 'trailing-whitespace') == 2, 'the findings stay: ' .. summary(buf))
  assert(#lsp_diagnostics(buf, 'missing-section') == 0, 'the fix stays: ' .. summary(buf))
end)

check('a template changed on disk by another process: the findings follow, no keystroke', function()
  attached()
  -- Neovim 0.11 does not watch files on Linux: the server watches them itself.
  local watching = vim.tbl_get(client.capabilities, 'workspace', 'didChangeWatchedFiles', 'dynamicRegistration')
  out('  client watches files for the server: ' .. tostring(watching))
  local template = vim.fs.joinpath(env.ROOT, 'specs/template.rst')
  vim.fn.system({ 'sh', '-c', [[printf '\nReload Check\n============\n\nSay it.\n' >> "$1"]], 'sh', template })
  assert(vim.v.shell_error == 0, 'could not append to ' .. template)
  wait_for('a missing-section for the template\'s new section (now: ' .. summary(buf) .. ')', function()
    for _, d in ipairs(lsp_diagnostics(buf, 'missing-section')) do
      if d.message:find('Reload Check', 1, true) then
        return true
      end
    end
    return false
  end)
end)

check('the server showed no warning or error', function()
  -- window/showMessage ends up in the message history as "LSP[name][Warning] ..." or,
  -- for errors, "LSP[name] ...".
  local messages = vim.api.nvim_exec2('messages', { output = true }).output
  local bad = vim.tbl_filter(function(line)
    return line:find('^LSP%[trove_spec_lsp%]') and not line:find('^LSP%[trove_spec_lsp%]%[Info%]')
      and not line:find('^LSP%[trove_spec_lsp%]%[Log%]')
  end, vim.split(messages, '\n'))
  assert(#bad == 0, table.concat(bad, '\n'))
end)

if client then
  client:stop()
  vim.wait(WAIT, function()
    return client:is_stopped()
  end, 50)
end
out(('%s: %d passed, %d failed'):format(suite, results.passed, results.failed))
vim.cmd('cquit ' .. (results.failed > 0 and 1 or 0))
