" Write, for every line of the current buffer, its runs of one syntax group:
" `line:first-last group text` (runs of white space left out), to the file g:out.
let s:lines = []
for s:l in range(1, line('$'))
  let s:text = getline(s:l)
  let s:start = 1
  let s:group = ''
  for s:c in range(1, len(s:text) + 1)
    let s:here = s:c <= len(s:text) ? synIDattr(synID(s:l, s:c, 1), 'name') : '<end>'
    if s:c > 1 && s:here !=# s:group
      let s:piece = strpart(s:text, s:start - 1, s:c - s:start)
      if s:piece =~ '\S'
        call add(s:lines, printf('%d:%d-%d %s %s', s:l, s:start, s:c - 1,
              \ s:group ==# '' ? '-' : s:group, trim(s:piece)))
      endif
      let s:start = s:c
    endif
    let s:group = s:here
  endfor
endfor
call writefile(s:lines, g:out)
