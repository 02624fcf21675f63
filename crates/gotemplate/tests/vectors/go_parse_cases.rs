// Generated from Go 1.19's src/text/template/parse/parse_test.go:
// `parseTests` (name, input, ok, the tree as Go prints it with %q text)
// and `errorTests` (name, input, a substring of the error), each with the
// error text Go 1.19 gave (empty when none). The tests parse with only
// `printf` and `contains` defined, as Go's do.
pub const PARSE: &[Case] = &[
    Case { name: r#"empty"#, input: r#""#, ok: true, result: r#""#, err: r#""# },
    Case { name: r#"comment"#, input: r#"{{/*


*/}}"#, ok: true, result: r#""#, err: r#""# },
    Case { name: r#"spaces"#, input: r#" 	
"#, ok: true, result: r#"" \t\n""#, err: r#""# },
    Case { name: r#"text"#, input: r#"some text"#, ok: true, result: r#""some text""#, err: r#""# },
    Case { name: r#"emptyAction"#, input: r#"{{}}"#, ok: false, result: r#"{{}}"#, err: r#"template: emptyAction:1: missing value for command"# },
    Case { name: r#"field"#, input: r#"{{.X}}"#, ok: true, result: r#"{{.X}}"#, err: r#""# },
    Case { name: r#"simple command"#, input: r#"{{printf}}"#, ok: true, result: r#"{{printf}}"#, err: r#""# },
    Case { name: r#"$ invocation"#, input: r#"{{$}}"#, ok: true, result: r#"{{$}}"#, err: r#""# },
    Case { name: r#"variable invocation"#, input: r#"{{with $x := 3}}{{$x 23}}{{end}}"#, ok: true, result: r#"{{with $x := 3}}{{$x 23}}{{end}}"#, err: r#""# },
    Case { name: r#"variable with fields"#, input: r#"{{$.I}}"#, ok: true, result: r#"{{$.I}}"#, err: r#""# },
    Case { name: r#"multi-word command"#, input: r#"{{printf `%d` 23}}"#, ok: true, result: r#"{{printf `%d` 23}}"#, err: r#""# },
    Case { name: r#"pipeline"#, input: r#"{{.X|.Y}}"#, ok: true, result: r#"{{.X | .Y}}"#, err: r#""# },
    Case { name: r#"pipeline with decl"#, input: r#"{{$x := .X|.Y}}"#, ok: true, result: r#"{{$x := .X | .Y}}"#, err: r#""# },
    Case { name: r#"nested pipeline"#, input: r#"{{.X (.Y .Z) (.A | .B .C) (.E)}}"#, ok: true, result: r#"{{.X (.Y .Z) (.A | .B .C) (.E)}}"#, err: r#""# },
    Case { name: r#"field applied to parentheses"#, input: r#"{{(.Y .Z).Field}}"#, ok: true, result: r#"{{(.Y .Z).Field}}"#, err: r#""# },
    Case { name: r#"simple if"#, input: r#"{{if .X}}hello{{end}}"#, ok: true, result: r#"{{if .X}}"hello"{{end}}"#, err: r#""# },
    Case { name: r#"if with else"#, input: r#"{{if .X}}true{{else}}false{{end}}"#, ok: true, result: r#"{{if .X}}"true"{{else}}"false"{{end}}"#, err: r#""# },
    Case { name: r#"if with else if"#, input: r#"{{if .X}}true{{else if .Y}}false{{end}}"#, ok: true, result: r#"{{if .X}}"true"{{else}}{{if .Y}}"false"{{end}}{{end}}"#, err: r#""# },
    Case { name: r#"if else chain"#, input: r#"+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+"#, ok: true, result: r#""+"{{if .X}}"X"{{else}}{{if .Y}}"Y"{{else}}{{if .Z}}"Z"{{end}}{{end}}{{end}}"+""#, err: r#""# },
    Case { name: r#"simple range"#, input: r#"{{range .X}}hello{{end}}"#, ok: true, result: r#"{{range .X}}"hello"{{end}}"#, err: r#""# },
    Case { name: r#"chained field range"#, input: r#"{{range .X.Y.Z}}hello{{end}}"#, ok: true, result: r#"{{range .X.Y.Z}}"hello"{{end}}"#, err: r#""# },
    Case { name: r#"nested range"#, input: r#"{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}"#, ok: true, result: r#"{{range .X}}"hello"{{range .Y}}"goodbye"{{end}}{{end}}"#, err: r#""# },
    Case { name: r#"range with else"#, input: r#"{{range .X}}true{{else}}false{{end}}"#, ok: true, result: r#"{{range .X}}"true"{{else}}"false"{{end}}"#, err: r#""# },
    Case { name: r#"range over pipeline"#, input: r#"{{range .X|.M}}true{{else}}false{{end}}"#, ok: true, result: r#"{{range .X | .M}}"true"{{else}}"false"{{end}}"#, err: r#""# },
    Case { name: r#"range []int"#, input: r#"{{range .SI}}{{.}}{{end}}"#, ok: true, result: r#"{{range .SI}}{{.}}{{end}}"#, err: r#""# },
    Case { name: r#"range 1 var"#, input: r#"{{range $x := .SI}}{{.}}{{end}}"#, ok: true, result: r#"{{range $x := .SI}}{{.}}{{end}}"#, err: r#""# },
    Case { name: r#"range 2 vars"#, input: r#"{{range $x, $y := .SI}}{{.}}{{end}}"#, ok: true, result: r#"{{range $x, $y := .SI}}{{.}}{{end}}"#, err: r#""# },
    Case { name: r#"range with break"#, input: r#"{{range .SI}}{{.}}{{break}}{{end}}"#, ok: true, result: r#"{{range .SI}}{{.}}{{break}}{{end}}"#, err: r#""# },
    Case { name: r#"range with continue"#, input: r#"{{range .SI}}{{.}}{{continue}}{{end}}"#, ok: true, result: r#"{{range .SI}}{{.}}{{continue}}{{end}}"#, err: r#""# },
    Case { name: r#"constants"#, input: r#"{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"#, ok: true, result: r#"{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"#, err: r#""# },
    Case { name: r#"template"#, input: r#"{{template `x`}}"#, ok: true, result: r#"{{template "x"}}"#, err: r#""# },
    Case { name: r#"template with arg"#, input: r#"{{template `x` .Y}}"#, ok: true, result: r#"{{template "x" .Y}}"#, err: r#""# },
    Case { name: r#"with"#, input: r#"{{with .X}}hello{{end}}"#, ok: true, result: r#"{{with .X}}"hello"{{end}}"#, err: r#""# },
    Case { name: r#"with with else"#, input: r#"{{with .X}}hello{{else}}goodbye{{end}}"#, ok: true, result: r#"{{with .X}}"hello"{{else}}"goodbye"{{end}}"#, err: r#""# },
    Case { name: r#"trim left"#, input: r#"x 
	{{- 3}}"#, ok: true, result: r#""x"{{3}}"#, err: r#""# },
    Case { name: r#"trim right"#, input: r#"{{3 -}}

	y"#, ok: true, result: r#"{{3}}"y""#, err: r#""# },
    Case { name: r#"trim left and right"#, input: r#"x 
	{{- 3 -}}

	y"#, ok: true, result: r#""x"{{3}}"y""#, err: r#""# },
    Case { name: r#"trim with extra spaces"#, input: r#"x
{{-  3   -}}
y"#, ok: true, result: r#""x"{{3}}"y""#, err: r#""# },
    Case { name: r#"comment trim left"#, input: r#"x 
	{{- /* hi */}}"#, ok: true, result: r#""x""#, err: r#""# },
    Case { name: r#"comment trim right"#, input: r#"{{/* hi */ -}}

	y"#, ok: true, result: r#""y""#, err: r#""# },
    Case { name: r#"comment trim left and right"#, input: r#"x 
	{{- /* */ -}}

	y"#, ok: true, result: r#""x""y""#, err: r#""# },
    Case { name: r#"block definition"#, input: r#"{{block "foo" .}}hello{{end}}"#, ok: true, result: r#"{{template "foo" .}}"#, err: r#""# },
    Case { name: r#"newline in assignment"#, input: r#"{{ $x 
 := 
 1 
 }}"#, ok: true, result: r#"{{$x := 1}}"#, err: r#""# },
    Case { name: r#"newline in empty action"#, input: r#"{{
}}"#, ok: false, result: r#"{{
}}"#, err: r#"template: newline in empty action:2: missing value for command"# },
    Case { name: r#"newline in pipeline"#, input: r#"{{
"x"
|
printf
}}"#, ok: true, result: r#"{{"x" | printf}}"#, err: r#""# },
    Case { name: r#"newline in comment"#, input: r#"{{/*
hello
*/}}"#, ok: true, result: r#""#, err: r#""# },
    Case { name: r#"newline in comment"#, input: r#"{{-
/*
hello
*/
-}}"#, ok: true, result: r#""#, err: r#""# },
    Case { name: r#"spaces around continue"#, input: r#"{{range .SI}}{{.}}{{ continue }}{{end}}"#, ok: true, result: r#"{{range .SI}}{{.}}{{continue}}{{end}}"#, err: r#""# },
    Case { name: r#"spaces around break"#, input: r#"{{range .SI}}{{.}}{{ break }}{{end}}"#, ok: true, result: r#"{{range .SI}}{{.}}{{break}}{{end}}"#, err: r#""# },
    Case { name: r#"unclosed action"#, input: r#"hello{{range"#, ok: false, result: r#""#, err: r#"template: unclosed action:1: unclosed action"# },
    Case { name: r#"unmatched end"#, input: r#"{{end}}"#, ok: false, result: r#""#, err: r#"template: unmatched end:1: unexpected {{end}}"# },
    Case { name: r#"unmatched else"#, input: r#"{{else}}"#, ok: false, result: r#""#, err: r#"template: unmatched else:1: unexpected {{else}}"# },
    Case { name: r#"unmatched else after if"#, input: r#"{{if .X}}hello{{end}}{{else}}"#, ok: false, result: r#""#, err: r#"template: unmatched else after if:1: unexpected {{else}}"# },
    Case { name: r#"multiple else"#, input: r#"{{if .X}}1{{else}}2{{else}}3{{end}}"#, ok: false, result: r#""#, err: r#"template: multiple else:1: expected end; found {{else}}"# },
    Case { name: r#"missing end"#, input: r#"hello{{range .x}}"#, ok: false, result: r#""#, err: r#"template: missing end:1: unexpected EOF"# },
    Case { name: r#"missing end after else"#, input: r#"hello{{range .x}}{{else}}"#, ok: false, result: r#""#, err: r#"template: missing end after else:1: unexpected EOF"# },
    Case { name: r#"undefined function"#, input: r#"hello{{undefined}}"#, ok: false, result: r#""#, err: r#"template: undefined function:1: function "undefined" not defined"# },
    Case { name: r#"undefined variable"#, input: r#"{{$x}}"#, ok: false, result: r#""#, err: r#"template: undefined variable:1: undefined variable "$x""# },
    Case { name: r#"variable undefined after end"#, input: r#"{{with $x := 4}}{{end}}{{$x}}"#, ok: false, result: r#""#, err: r#"template: variable undefined after end:1: undefined variable "$x""# },
    Case { name: r#"variable undefined in template"#, input: r#"{{template $v}}"#, ok: false, result: r#""#, err: r#"template: variable undefined in template:1: unexpected "$v" in template clause"# },
    Case { name: r#"declare with field"#, input: r#"{{with $x.Y := 4}}{{end}}"#, ok: false, result: r#""#, err: r#"template: declare with field:1: undefined variable "$x""# },
    Case { name: r#"template with field ref"#, input: r#"{{template .X}}"#, ok: false, result: r#""#, err: r#"template: template with field ref:1: unexpected ".X" in template clause"# },
    Case { name: r#"template with var"#, input: r#"{{template $v}}"#, ok: false, result: r#""#, err: r#"template: template with var:1: unexpected "$v" in template clause"# },
    Case { name: r#"invalid punctuation"#, input: r#"{{printf 3, 4}}"#, ok: false, result: r#""#, err: r#"template: invalid punctuation:1: unexpected "," in operand"# },
    Case { name: r#"multidecl outside range"#, input: r#"{{with $v, $u := 3}}{{end}}"#, ok: false, result: r#""#, err: r#"template: multidecl outside range:1: too many declarations in with"# },
    Case { name: r#"too many decls in range"#, input: r#"{{range $u, $v, $w := 3}}{{end}}"#, ok: false, result: r#""#, err: r#"template: too many decls in range:1: too many declarations in range"# },
    Case { name: r#"dot applied to parentheses"#, input: r#"{{printf (printf .).}}"#, ok: false, result: r#""#, err: r#"template: dot applied to parentheses:1: unexpected <.> in operand"# },
    Case { name: r#"adjacent args"#, input: r#"{{printf 3`x`}}"#, ok: false, result: r#""#, err: r#"template: adjacent args:1: unexpected "`x`" in operand"# },
    Case { name: r#"adjacent args with ."#, input: r#"{{printf `x`.}}"#, ok: false, result: r#""#, err: r#"template: adjacent args with .:1: unexpected <.> in operand"# },
    Case { name: r#"extra end after if"#, input: r#"{{if .X}}a{{else if .Y}}b{{end}}{{end}}"#, ok: false, result: r#""#, err: r#"template: extra end after if:1: unexpected {{end}}"# },
    Case { name: r#"break outside range"#, input: r#"{{range .}}{{end}} {{break}}"#, ok: false, result: r#""#, err: r#"template: break outside range:1: {{break}} outside {{range}}"# },
    Case { name: r#"continue outside range"#, input: r#"{{range .}}{{end}} {{continue}}"#, ok: false, result: r#""#, err: r#"template: continue outside range:1: {{continue}} outside {{range}}"# },
    Case { name: r#"break in range else"#, input: r#"{{range .}}{{else}}{{break}}{{end}}"#, ok: false, result: r#""#, err: r#"template: break in range else:1: {{break}} outside {{range}}"# },
    Case { name: r#"continue in range else"#, input: r#"{{range .}}{{else}}{{continue}}{{end}}"#, ok: false, result: r#""#, err: r#"template: continue in range else:1: {{continue}} outside {{range}}"# },
    Case { name: r#"bug0a"#, input: r#"{{$x := 0}}{{$x}}"#, ok: true, result: r#"{{$x := 0}}{{$x}}"#, err: r#""# },
    Case { name: r#"bug0b"#, input: r#"{{$x += 1}}{{$x}}"#, ok: false, result: r#""#, err: r#"template: bug0b:1: undefined variable "$x""# },
    Case { name: r#"bug0c"#, input: r#"{{$x ! 2}}{{$x}}"#, ok: false, result: r#""#, err: r#"template: bug0c:1: undefined variable "$x""# },
    Case { name: r#"bug0d"#, input: r#"{{$x % 3}}{{$x}}"#, ok: false, result: r#""#, err: r#"template: bug0d:1: undefined variable "$x""# },
    Case { name: r#"bug0e"#, input: r#"{{range $x := $y := 3}}{{end}}"#, ok: false, result: r#""#, err: r#"template: bug0e:1: undefined variable "$y""# },
    Case { name: r#"bug1a"#, input: r#"{{$x:=.}}{{$x!2}}"#, ok: false, result: r#""#, err: r#"template: bug1a:1: bad character U+0021 '!'"# },
    Case { name: r#"bug1b"#, input: r#"{{$x:=.}}{{$x+2}}"#, ok: false, result: r#""#, err: r#"template: bug1b:1: bad character U+002B '+'"# },
    Case { name: r#"bug1c"#, input: r#"{{$x:=.}}{{$x +2}}"#, ok: true, result: r#"{{$x := .}}{{$x +2}}"#, err: r#""# },
    Case { name: r#"dot after integer"#, input: r#"{{1.E}}"#, ok: false, result: r#""#, err: r#"template: dot after integer:1: illegal number syntax: "1.E""# },
    Case { name: r#"dot after float"#, input: r#"{{0.1.E}}"#, ok: false, result: r#""#, err: r#"template: dot after float:1: unexpected . after term "0.1""# },
    Case { name: r#"dot after boolean"#, input: r#"{{true.E}}"#, ok: false, result: r#""#, err: r#"template: dot after boolean:1: unexpected . after term "true""# },
    Case { name: r#"dot after char"#, input: r#"{{'a'.any}}"#, ok: false, result: r#""#, err: r#"template: dot after char:1: unexpected . after term "'a'""# },
    Case { name: r#"dot after string"#, input: r#"{{"hello".guys}}"#, ok: false, result: r#""#, err: r#"template: dot after string:1: unexpected . after term "\"hello\"""# },
    Case { name: r#"dot after dot"#, input: r#"{{..E}}"#, ok: false, result: r#""#, err: r#"template: dot after dot:1: unexpected . after term ".""# },
    Case { name: r#"dot after nil"#, input: r#"{{nil.E}}"#, ok: false, result: r#""#, err: r#"template: dot after nil:1: unexpected . after term "nil""# },
    Case { name: r#"wrong pipeline dot"#, input: r#"{{12|.}}"#, ok: false, result: r#""#, err: r#"template: wrong pipeline dot:1: non executable command in pipeline stage 2"# },
    Case { name: r#"wrong pipeline number"#, input: r#"{{.|12|printf}}"#, ok: false, result: r#""#, err: r#"template: wrong pipeline number:1: non executable command in pipeline stage 2"# },
    Case { name: r#"wrong pipeline string"#, input: r#"{{.|printf|"error"}}"#, ok: false, result: r#""#, err: r#"template: wrong pipeline string:1: non executable command in pipeline stage 3"# },
    Case { name: r#"wrong pipeline char"#, input: r#"{{12|printf|'e'}}"#, ok: false, result: r#""#, err: r#"template: wrong pipeline char:1: non executable command in pipeline stage 3"# },
    Case { name: r#"wrong pipeline boolean"#, input: r#"{{.|true}}"#, ok: false, result: r#""#, err: r#"template: wrong pipeline boolean:1: non executable command in pipeline stage 2"# },
    Case { name: r#"wrong pipeline nil"#, input: r#"{{'c'|nil}}"#, ok: false, result: r#""#, err: r#"template: wrong pipeline nil:1: non executable command in pipeline stage 2"# },
    Case { name: r#"empty pipeline"#, input: r#"{{printf "%d" ( ) }}"#, ok: false, result: r#""#, err: r#"template: empty pipeline:1: missing value for parenthesized pipeline"# },
    Case { name: r#"block definition"#, input: r#"{{block "foo"}}hello{{end}}"#, ok: false, result: r#""#, err: r#"template: block definition:1: missing value for block clause"# },
];
pub const ERRORS: &[Case] = &[
    Case { name: r#"unclosed1"#, input: r#"line1
{{"#, ok: false, result: r#"unclosed1:2: unclosed action"#, err: r#"template: unclosed1:2: unclosed action"# },
    Case { name: r#"unclosed2"#, input: r#"line1
{{define `x`}}line2
{{"#, ok: false, result: r#"unclosed2:3: unclosed action"#, err: r#"template: unclosed2:3: unclosed action"# },
    Case { name: r#"unclosed3"#, input: r#"line1
{{"x"
"y"
"#, ok: false, result: r#"unclosed3:4: unclosed action started at unclosed3:2"#, err: r#"template: unclosed3:4: unclosed action started at unclosed3:2"# },
    Case { name: r#"unclosed4"#, input: r#"{{




"#, ok: false, result: r#"unclosed4:6: unclosed action started at unclosed4:1"#, err: r#"template: unclosed4:6: unclosed action started at unclosed4:1"# },
    Case { name: r#"var1"#, input: r#"line1
{{
x
}}"#, ok: false, result: r#"var1:3: function "x" not defined"#, err: r#"template: var1:3: function "x" not defined"# },
    Case { name: r#"function"#, input: r#"{{foo}}"#, ok: false, result: r#"function "foo" not defined"#, err: r#"template: function:1: function "foo" not defined"# },
    Case { name: r#"comment1"#, input: r#"{{/*}}"#, ok: false, result: r#"comment1:1: unclosed comment"#, err: r#"template: comment1:1: unclosed comment"# },
    Case { name: r#"comment2"#, input: r#"{{/*
hello
}}"#, ok: false, result: r#"comment2:1: unclosed comment"#, err: r#"template: comment2:1: unclosed comment"# },
    Case { name: r#"lparen"#, input: r#"{{.X (1 2 3}}"#, ok: false, result: r#"unclosed left paren"#, err: r#"template: lparen:1: unclosed left paren"# },
    Case { name: r#"rparen"#, input: r#"{{.X 1 2 3 ) }}"#, ok: false, result: r#"unexpected ")" in command"#, err: r#"template: rparen:1: unexpected ")" in command"# },
    Case { name: r#"rparen2"#, input: r#"{{(.X 1 2 3"#, ok: false, result: r#"unclosed action"#, err: r#"template: rparen2:1: unclosed action"# },
    Case { name: r#"space"#, input: r#"{{`x`3}}"#, ok: false, result: r#"in operand"#, err: r#"template: space:1: unexpected "3" in operand"# },
    Case { name: r#"idchar"#, input: r#"{{a#}}"#, ok: false, result: r#"'#'"#, err: r#"template: idchar:1: bad character U+0023 '#'"# },
    Case { name: r#"charconst"#, input: r#"{{'a}}"#, ok: false, result: r#"unterminated character constant"#, err: r#"template: charconst:1: unterminated character constant"# },
    Case { name: r#"stringconst"#, input: r#"{{"a}}"#, ok: false, result: r#"unterminated quoted string"#, err: r#"template: stringconst:1: unterminated quoted string"# },
    Case { name: r#"rawstringconst"#, input: r#"{{`a}}"#, ok: false, result: r#"unterminated raw quoted string"#, err: r#"template: rawstringconst:1: unterminated raw quoted string"# },
    Case { name: r#"number"#, input: r#"{{0xi}}"#, ok: false, result: r#"number syntax"#, err: r#"template: number:1: illegal number syntax: "0xi""# },
    Case { name: r#"multidefine"#, input: r#"{{define `a`}}a{{end}}{{define `a`}}b{{end}}"#, ok: false, result: r#"multiple definition of template"#, err: r#"template: multidefine:1: template: multiple definition of template "a""# },
    Case { name: r#"eof"#, input: r#"{{range .X}}"#, ok: false, result: r#"unexpected EOF"#, err: r#"template: eof:1: unexpected EOF"# },
    Case { name: r#"variable"#, input: r#"{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}"#, ok: false, result: r#"unexpected ":=""#, err: r#"template: variable:1: unexpected ":=" in operand"# },
    Case { name: r#"multidecl"#, input: r#"{{$a,$b,$c := 23}}"#, ok: false, result: r#"too many declarations"#, err: r#"template: multidecl:1: too many declarations in command"# },
    Case { name: r#"undefvar"#, input: r#"{{$a}}"#, ok: false, result: r#"undefined variable"#, err: r#"template: undefvar:1: undefined variable "$a""# },
    Case { name: r#"wrongdot"#, input: r#"{{true.any}}"#, ok: false, result: r#"unexpected . after term"#, err: r#"template: wrongdot:1: unexpected . after term "true""# },
    Case { name: r#"wrongpipeline"#, input: r#"{{12|false}}"#, ok: false, result: r#"non executable command in pipeline"#, err: r#"template: wrongpipeline:1: non executable command in pipeline stage 2"# },
    Case { name: r#"emptypipeline"#, input: r#"{{ ( ) }}"#, ok: false, result: r#"missing value for parenthesized pipeline"#, err: r#"template: emptypipeline:1: missing value for parenthesized pipeline"# },
    Case { name: r#"multilinerawstring"#, input: r#"{{ $v := `
` }} {{"#, ok: false, result: r#"multilinerawstring:2: unclosed action"#, err: r#"template: multilinerawstring:2: unclosed action"# },
    Case { name: r#"rangeundefvar"#, input: r#"{{range $k}}{{end}}"#, ok: false, result: r#"undefined variable"#, err: r#"template: rangeundefvar:1: undefined variable "$k""# },
    Case { name: r#"rangeundefvars"#, input: r#"{{range $k, $v}}{{end}}"#, ok: false, result: r#"undefined variable"#, err: r#"template: rangeundefvars:1: undefined variable "$v""# },
    Case { name: r#"rangemissingvalue1"#, input: r#"{{range $k,}}{{end}}"#, ok: false, result: r#"missing value for range"#, err: r#"template: rangemissingvalue1:1: missing value for range"# },
    Case { name: r#"rangemissingvalue2"#, input: r#"{{range $k, $v := }}{{end}}"#, ok: false, result: r#"missing value for range"#, err: r#"template: rangemissingvalue2:1: missing value for range"# },
    Case { name: r#"rangenotvariable1"#, input: r#"{{range $k, .}}{{end}}"#, ok: false, result: r#"range can only initialize variables"#, err: r#"template: rangenotvariable1:1: range can only initialize variables"# },
    Case { name: r#"rangenotvariable2"#, input: r#"{{range $k, 123 := .}}{{end}}"#, ok: false, result: r#"range can only initialize variables"#, err: r#"template: rangenotvariable2:1: range can only initialize variables"# },
];
