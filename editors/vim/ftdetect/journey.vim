" journeylang files
autocmd BufRead,BufNewFile *.journey setfiletype journey
