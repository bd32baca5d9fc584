" Vim syntax file
" Language:   journeylang (customer journeys as code)
" Filenames:  *.journey

if exists("b:current_syntax")
  finish
endif

" Words are matched, not declared with :syn keyword, so that a word after a dot
" (event.wait, profile.consent.sms) can be an attribute: a later match wins.
syn match journeyFunction "\<\h\w*\ze\s*("
syn match journeyKeyword "\<\%(action\|after\|always\|append\|at\|audience\|branch\|call\|campaign\|cap\|else\|error\|event\|every\|exclude\|exit\|fetch\|for\|fork\|holdout\|if\|intersect\|join\|journey\|jump\|keep\|let\|never\|on\|per\|primary\|profile\|rate\|read\|reentry\|response\|save\|send\|set\|split\|starting\|timeout\|timezone\|until\|version\|wait\|when\|where\|with\|within\)\>"
syn match journeyTestKeyword "\<\%(because\|between\|close\|enters\|exits\|expect\|fails\|fixture\|from\|gets\|label\|line\|no\|publish\|reached\|rejected\|seed\|sent\|start\|stop\|suppressed\|test\)\>"
syn match journeyChannel "\<\%(email\|sms\|push\|inapp\|whatsapp\)\>"
syn match journeyConstant "\<\%(true\|false\|null\)\>"
syn match journeyOperatorWord "\<\%(and\|or\|not\|in\)\>"
syn match journeyPathRoot "\<\%(profile\|event\)\ze\s*\."
syn match journeyAttribute "\.\@<=\h\w*"
" `join(…)` and `split(…)` are calls, although their names are statements too
syn match journeyFunction "\<\%(join\|split\)\ze\s*("
" a comprehension, `[p.sku for p in event.products where …]`: its name, and `in` a keyword
syn match journeyComprehensionName "\%(\<for\s\+\)\@<=\h\w*\ze\s\+in\>"
syn match journeyKeyword "\%(\<for\s\+\h\w*\s\+\)\@<=in\>"

syn match journeyNumber "\<\d\+\%(\.\d\+\)\=\>"
syn match journeyPercent "\<\d\+\%(\.\d\+\)\=%"
syn match journeyDuration "\<\d\+\%(\.\d\+\)\=[smhdw]\>"
syn match journeyTime "\<\d\d:\d\d\%(:\d\d\)\=\>"
syn match journeyDate "\<\d\{4}-\d\d-\d\d\>"
syn match journeyDateTime "\<\d\{4}-\d\d-\d\dT\d\d:\d\d\%(:\d\d\)\=\%(Z\|[+-]\d\d:\d\d\)\="
syn match journeyOperator "==\|!=\|<=\|>=\|[<>+*/%=-]"

syn cluster journeyExpression contains=journeyKeyword,journeyTestKeyword,journeyComprehensionName,journeyChannel,journeyConstant,journeyOperatorWord,journeyFunction,journeyPathRoot,journeyAttribute,journeyNumber,journeyPercent,journeyDuration,journeyTime,journeyDate,journeyDateTime,journeyOperator,journeyString

syn match journeyEscape +\\[nt"\\{}]+ contained
syn region journeyInterpolation matchgroup=journeyInterpolationDelimiter start=+{+ end=+}+ contained contains=@journeyExpression
syn region journeyString start=+"+ skip=+\\.+ end=+"+ end=+$+ contains=journeyEscape,journeyInterpolation

syn match journeyComment "#.*$" contains=@Spell

hi def link journeyKeyword Keyword
hi def link journeyTestKeyword Keyword
hi def link journeyChannel Type
hi def link journeyConstant Boolean
hi def link journeyOperatorWord Operator
hi def link journeyFunction Function
hi def link journeyComprehensionName Identifier
hi def link journeyPathRoot Special
hi def link journeyAttribute Identifier
hi def link journeyNumber Number
hi def link journeyPercent Number
hi def link journeyDuration Number
hi def link journeyTime Constant
hi def link journeyDate Constant
hi def link journeyDateTime Constant
hi def link journeyOperator Operator
hi def link journeyEscape SpecialChar
hi def link journeyInterpolationDelimiter Delimiter
hi def link journeyString String
hi def link journeyComment Comment

let b:current_syntax = "journey"
