" Vim filetype plugin for journeylang
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s
setlocal comments=:#
setlocal iskeyword=@,48-57,_
setlocal shiftwidth=4 softtabstop=4 expandtab

let b:undo_ftplugin = "setlocal commentstring< comments< iskeyword< shiftwidth< softtabstop< expandtab<"
