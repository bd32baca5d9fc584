"""The language server of journeylang (`journey lsp`): the checker, the formatter and the
workspace's names, served to editors over the Language Server Protocol."""
