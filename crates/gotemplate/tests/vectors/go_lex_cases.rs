// Generated from Go 1.19's src/text/template/parse/lex_test.go: lexTests,
// lexDelimTests ($$ and @@) and lexPosTests, with the tokens Go's lexer
// produced for each (kind as Go's itemName calls it, text, offset, line).
/// (set, name, input, left, right, tokens).
pub type LexCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, usize, usize)],
);
pub const LEX: &[LexCase] = &[
    (r#"lexTests"#, r#"empty"#, r#""#, r#""#, r#""#, &[(r#"EOF"#, r#""#, 0, 1)]),
    (r#"lexTests"#, r#"spaces"#, r#" 	
"#, r#""#, r#""#, &[(r#"item20"#, r#" 	
"#, 0, 1), (r#"EOF"#, r#""#, 3, 2)]),
    (r#"lexTests"#, r#"text"#, r#"now is the time"#, r#""#, r#""#, &[(r#"item20"#, r#"now is the time"#, 0, 1), (r#"EOF"#, r#""#, 15, 1)]),
    (r#"lexTests"#, r#"text with comment"#, r#"hello-{{/* this is a comment */}}-world"#, r#""#, r#""#, &[(r#"item20"#, r#"hello-"#, 0, 1), (r#"comment"#, r#"/* this is a comment */"#, 8, 1), (r#"item20"#, r#"-world"#, 33, 1), (r#"EOF"#, r#""#, 39, 1)]),
    (r#"lexTests"#, r#"punctuation"#, r#"{{,@% }}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"char"#, r#","#, 2, 1), (r#"char"#, r#"@"#, 3, 1), (r#"char"#, r#"%"#, 4, 1), (r#"space"#, r#" "#, 5, 1), (r#"right delim"#, r#"}}"#, 6, 1), (r#"EOF"#, r#""#, 8, 1)]),
    (r#"lexTests"#, r#"parens"#, r#"{{((3))}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"("#, r#"("#, 2, 1), (r#"("#, r#"("#, 3, 1), (r#"number"#, r#"3"#, 4, 1), (r#")"#, r#")"#, 5, 1), (r#")"#, r#")"#, 6, 1), (r#"right delim"#, r#"}}"#, 7, 1), (r#"EOF"#, r#""#, 9, 1)]),
    (r#"lexTests"#, r#"empty action"#, r#"{{}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"right delim"#, r#"}}"#, 2, 1), (r#"EOF"#, r#""#, 4, 1)]),
    (r#"lexTests"#, r#"for"#, r#"{{for}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"identifier"#, r#"for"#, 2, 1), (r#"right delim"#, r#"}}"#, 5, 1), (r#"EOF"#, r#""#, 7, 1)]),
    (r#"lexTests"#, r#"block"#, r#"{{block "foo" .}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"block"#, r#"block"#, 2, 1), (r#"space"#, r#" "#, 7, 1), (r#"string"#, r#""foo""#, 8, 1), (r#"space"#, r#" "#, 13, 1), (r#"."#, r#"."#, 14, 1), (r#"right delim"#, r#"}}"#, 15, 1), (r#"EOF"#, r#""#, 17, 1)]),
    (r#"lexTests"#, r#"quote"#, r#"{{"abc \n\t\" "}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"string"#, r#""abc \n\t\" ""#, 2, 1), (r#"right delim"#, r#"}}"#, 15, 1), (r#"EOF"#, r#""#, 17, 1)]),
    (r#"lexTests"#, r#"raw quote"#, r#"{{`abc\n\t\" `}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"raw string"#, r#"`abc\n\t\" `"#, 2, 1), (r#"right delim"#, r#"}}"#, 14, 1), (r#"EOF"#, r#""#, 16, 1)]),
    (r#"lexTests"#, r#"raw quote with newline"#, r#"{{`now is{{
}}the time`}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"raw string"#, r#"`now is{{
}}the time`"#, 2, 1), (r#"right delim"#, r#"}}"#, 23, 2), (r#"EOF"#, r#""#, 25, 2)]),
    (r#"lexTests"#, r#"numbers"#, r#"{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"number"#, r#"1"#, 2, 1), (r#"space"#, r#" "#, 3, 1), (r#"number"#, r#"02"#, 4, 1), (r#"space"#, r#" "#, 6, 1), (r#"number"#, r#"0x14"#, 7, 1), (r#"space"#, r#" "#, 11, 1), (r#"number"#, r#"0X14"#, 12, 1), (r#"space"#, r#" "#, 16, 1), (r#"number"#, r#"-7.2i"#, 17, 1), (r#"space"#, r#" "#, 22, 1), (r#"number"#, r#"1e3"#, 23, 1), (r#"space"#, r#" "#, 26, 1), (r#"number"#, r#"1E3"#, 27, 1), (r#"space"#, r#" "#, 30, 1), (r#"number"#, r#"+1.2e-4"#, 31, 1), (r#"space"#, r#" "#, 38, 1), (r#"number"#, r#"4.2i"#, 39, 1), (r#"space"#, r#" "#, 43, 1), (r#"complex"#, r#"1+2i"#, 44, 1), (r#"space"#, r#" "#, 48, 1), (r#"number"#, r#"1_2"#, 49, 1), (r#"space"#, r#" "#, 52, 1), (r#"number"#, r#"0x1.e_fp4"#, 53, 1), (r#"space"#, r#" "#, 62, 1), (r#"number"#, r#"0X1.E_FP4"#, 63, 1), (r#"right delim"#, r#"}}"#, 72, 1), (r#"EOF"#, r#""#, 74, 1)]),
    (r#"lexTests"#, r#"characters"#, r#"{{'a' '\n' '\'' '\\' '\u00FF' '\xFF' '本'}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"charconst"#, r#"'a'"#, 2, 1), (r#"space"#, r#" "#, 5, 1), (r#"charconst"#, r#"'\n'"#, 6, 1), (r#"space"#, r#" "#, 10, 1), (r#"charconst"#, r#"'\''"#, 11, 1), (r#"space"#, r#" "#, 15, 1), (r#"charconst"#, r#"'\\'"#, 16, 1), (r#"space"#, r#" "#, 20, 1), (r#"charconst"#, r#"'\u00FF'"#, 21, 1), (r#"space"#, r#" "#, 29, 1), (r#"charconst"#, r#"'\xFF'"#, 30, 1), (r#"space"#, r#" "#, 36, 1), (r#"charconst"#, r#"'本'"#, 37, 1), (r#"right delim"#, r#"}}"#, 42, 1), (r#"EOF"#, r#""#, 44, 1)]),
    (r#"lexTests"#, r#"bools"#, r#"{{true false}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"bool"#, r#"true"#, 2, 1), (r#"space"#, r#" "#, 6, 1), (r#"bool"#, r#"false"#, 7, 1), (r#"right delim"#, r#"}}"#, 12, 1), (r#"EOF"#, r#""#, 14, 1)]),
    (r#"lexTests"#, r#"dot"#, r#"{{.}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"."#, r#"."#, 2, 1), (r#"right delim"#, r#"}}"#, 3, 1), (r#"EOF"#, r#""#, 5, 1)]),
    (r#"lexTests"#, r#"nil"#, r#"{{nil}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"nil"#, r#"nil"#, 2, 1), (r#"right delim"#, r#"}}"#, 5, 1), (r#"EOF"#, r#""#, 7, 1)]),
    (r#"lexTests"#, r#"dots"#, r#"{{.x . .2 .x.y.z}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"field"#, r#".x"#, 2, 1), (r#"space"#, r#" "#, 4, 1), (r#"."#, r#"."#, 5, 1), (r#"space"#, r#" "#, 6, 1), (r#"number"#, r#".2"#, 7, 1), (r#"space"#, r#" "#, 9, 1), (r#"field"#, r#".x"#, 10, 1), (r#"field"#, r#".y"#, 12, 1), (r#"field"#, r#".z"#, 14, 1), (r#"right delim"#, r#"}}"#, 16, 1), (r#"EOF"#, r#""#, 18, 1)]),
    (r#"lexTests"#, r#"keywords"#, r#"{{range if else end with}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"range"#, r#"range"#, 2, 1), (r#"space"#, r#" "#, 7, 1), (r#"if"#, r#"if"#, 8, 1), (r#"space"#, r#" "#, 10, 1), (r#"else"#, r#"else"#, 11, 1), (r#"space"#, r#" "#, 15, 1), (r#"end"#, r#"end"#, 16, 1), (r#"space"#, r#" "#, 19, 1), (r#"with"#, r#"with"#, 20, 1), (r#"right delim"#, r#"}}"#, 24, 1), (r#"EOF"#, r#""#, 26, 1)]),
    (r#"lexTests"#, r#"variables"#, r#"{{$c := printf $ $hello $23 $ $var.Field .Method}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"variable"#, r#"$c"#, 2, 1), (r#"space"#, r#" "#, 4, 1), (r#":="#, r#":="#, 5, 1), (r#"space"#, r#" "#, 7, 1), (r#"identifier"#, r#"printf"#, 8, 1), (r#"space"#, r#" "#, 14, 1), (r#"variable"#, r#"$"#, 15, 1), (r#"space"#, r#" "#, 16, 1), (r#"variable"#, r#"$hello"#, 17, 1), (r#"space"#, r#" "#, 23, 1), (r#"variable"#, r#"$23"#, 24, 1), (r#"space"#, r#" "#, 27, 1), (r#"variable"#, r#"$"#, 28, 1), (r#"space"#, r#" "#, 29, 1), (r#"variable"#, r#"$var"#, 30, 1), (r#"field"#, r#".Field"#, 34, 1), (r#"space"#, r#" "#, 40, 1), (r#"field"#, r#".Method"#, 41, 1), (r#"right delim"#, r#"}}"#, 48, 1), (r#"EOF"#, r#""#, 50, 1)]),
    (r#"lexTests"#, r#"variable invocation"#, r#"{{$x 23}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"variable"#, r#"$x"#, 2, 1), (r#"space"#, r#" "#, 4, 1), (r#"number"#, r#"23"#, 5, 1), (r#"right delim"#, r#"}}"#, 7, 1), (r#"EOF"#, r#""#, 9, 1)]),
    (r#"lexTests"#, r#"pipeline"#, r#"intro {{echo hi 1.2 |noargs|args 1 "hi"}} outro"#, r#""#, r#""#, &[(r#"item20"#, r#"intro "#, 0, 1), (r#"left delim"#, r#"{{"#, 6, 1), (r#"identifier"#, r#"echo"#, 8, 1), (r#"space"#, r#" "#, 12, 1), (r#"identifier"#, r#"hi"#, 13, 1), (r#"space"#, r#" "#, 15, 1), (r#"number"#, r#"1.2"#, 16, 1), (r#"space"#, r#" "#, 19, 1), (r#"pipe"#, r#"|"#, 20, 1), (r#"identifier"#, r#"noargs"#, 21, 1), (r#"pipe"#, r#"|"#, 27, 1), (r#"identifier"#, r#"args"#, 28, 1), (r#"space"#, r#" "#, 32, 1), (r#"number"#, r#"1"#, 33, 1), (r#"space"#, r#" "#, 34, 1), (r#"string"#, r#""hi""#, 35, 1), (r#"right delim"#, r#"}}"#, 39, 1), (r#"item20"#, r#" outro"#, 41, 1), (r#"EOF"#, r#""#, 47, 1)]),
    (r#"lexTests"#, r#"declaration"#, r#"{{$v := 3}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"variable"#, r#"$v"#, 2, 1), (r#"space"#, r#" "#, 4, 1), (r#":="#, r#":="#, 5, 1), (r#"space"#, r#" "#, 7, 1), (r#"number"#, r#"3"#, 8, 1), (r#"right delim"#, r#"}}"#, 9, 1), (r#"EOF"#, r#""#, 11, 1)]),
    (r#"lexTests"#, r#"2 declarations"#, r#"{{$v , $w := 3}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"variable"#, r#"$v"#, 2, 1), (r#"space"#, r#" "#, 4, 1), (r#"char"#, r#","#, 5, 1), (r#"space"#, r#" "#, 6, 1), (r#"variable"#, r#"$w"#, 7, 1), (r#"space"#, r#" "#, 9, 1), (r#":="#, r#":="#, 10, 1), (r#"space"#, r#" "#, 12, 1), (r#"number"#, r#"3"#, 13, 1), (r#"right delim"#, r#"}}"#, 14, 1), (r#"EOF"#, r#""#, 16, 1)]),
    (r#"lexTests"#, r#"field of parenthesized expression"#, r#"{{(.X).Y}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"("#, r#"("#, 2, 1), (r#"field"#, r#".X"#, 3, 1), (r#")"#, r#")"#, 5, 1), (r#"field"#, r#".Y"#, 6, 1), (r#"right delim"#, r#"}}"#, 8, 1), (r#"EOF"#, r#""#, 10, 1)]),
    (r#"lexTests"#, r#"trimming spaces before and after"#, r#"hello- {{- 3 -}} -world"#, r#""#, r#""#, &[(r#"item20"#, r#"hello-"#, 0, 1), (r#"left delim"#, r#"{{"#, 7, 1), (r#"number"#, r#"3"#, 11, 1), (r#"right delim"#, r#"}}"#, 14, 1), (r#"item20"#, r#"-world"#, 17, 1), (r#"EOF"#, r#""#, 23, 1)]),
    (r#"lexTests"#, r#"trimming spaces before and after comment"#, r#"hello- {{- /* hello */ -}} -world"#, r#""#, r#""#, &[(r#"item20"#, r#"hello-"#, 0, 1), (r#"comment"#, r#"/* hello */"#, 11, 1), (r#"item20"#, r#"-world"#, 27, 1), (r#"EOF"#, r#""#, 33, 1)]),
    (r#"lexTests"#, r#"badchar"#, r#"#{{}}"#, r#""#, r#""#, &[(r#"item20"#, r#"#"#, 0, 1), (r#"left delim"#, r#"{{"#, 1, 1), (r#"error"#, r#"unrecognized character in action: U+0001"#, 3, 1)]),
    (r#"lexTests"#, r#"unclosed action"#, r#"{{"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"error"#, r#"unclosed action"#, 2, 1)]),
    (r#"lexTests"#, r#"EOF in action"#, r#"{{range"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"range"#, r#"range"#, 2, 1), (r#"error"#, r#"unclosed action"#, 7, 1)]),
    (r#"lexTests"#, r#"unclosed quote"#, r#"{{"
"}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"error"#, r#"unterminated quoted string"#, 2, 1)]),
    (r#"lexTests"#, r#"unclosed raw quote"#, r#"{{`xx}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"error"#, r#"unterminated raw quoted string"#, 2, 1)]),
    (r#"lexTests"#, r#"unclosed char constant"#, r#"{{'
}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"error"#, r#"unterminated character constant"#, 2, 1)]),
    (r#"lexTests"#, r#"bad number"#, r#"{{3k}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"error"#, r#"bad number syntax: "3k""#, 2, 1)]),
    (r#"lexTests"#, r#"unclosed paren"#, r#"{{(3}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"("#, r#"("#, 2, 1), (r#"number"#, r#"3"#, 3, 1), (r#"error"#, r#"unclosed left paren"#, 4, 1)]),
    (r#"lexTests"#, r#"extra right paren"#, r#"{{3)}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"number"#, r#"3"#, 2, 1), (r#")"#, r#")"#, 3, 1), (r#"error"#, r#"unexpected right paren U+0029 ')'"#, 4, 1)]),
    (r#"lexTests"#, r#"long pipeline deadlock"#, r#"{{|||||}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"pipe"#, r#"|"#, 2, 1), (r#"pipe"#, r#"|"#, 3, 1), (r#"pipe"#, r#"|"#, 4, 1), (r#"pipe"#, r#"|"#, 5, 1), (r#"pipe"#, r#"|"#, 6, 1), (r#"right delim"#, r#"}}"#, 7, 1), (r#"EOF"#, r#""#, 9, 1)]),
    (r#"lexTests"#, r#"text with bad comment"#, r#"hello-{{/*/}}-world"#, r#""#, r#""#, &[(r#"item20"#, r#"hello-"#, 0, 1), (r#"error"#, r#"unclosed comment"#, 8, 1)]),
    (r#"lexTests"#, r#"text with comment close separated from delim"#, r#"hello-{{/* */ }}-world"#, r#""#, r#""#, &[(r#"item20"#, r#"hello-"#, 0, 1), (r#"error"#, r#"comment ends before closing delimiter"#, 8, 1)]),
    (r#"lexTests"#, r#"unmatched right delimiter"#, r#"hello-{.}}-world"#, r#""#, r#""#, &[(r#"item20"#, r#"hello-{.}}-world"#, 0, 1), (r#"EOF"#, r#""#, 16, 1)]),
    (r#"lexDelimTests"#, r#"punctuation"#, r#"$$,@%{{}}@@"#, r#"$$"#, r#"@@"#, &[(r#"left delim"#, r#"$$"#, 0, 1), (r#"char"#, r#","#, 2, 1), (r#"char"#, r#"@"#, 3, 1), (r#"char"#, r#"%"#, 4, 1), (r#"char"#, r#"{"#, 5, 1), (r#"char"#, r#"{"#, 6, 1), (r#"char"#, r#"}"#, 7, 1), (r#"char"#, r#"}"#, 8, 1), (r#"right delim"#, r#"@@"#, 9, 1), (r#"EOF"#, r#""#, 11, 1)]),
    (r#"lexDelimTests"#, r#"empty action"#, r#"$$@@"#, r#"$$"#, r#"@@"#, &[(r#"left delim"#, r#"$$"#, 0, 1), (r#"right delim"#, r#"@@"#, 2, 1), (r#"EOF"#, r#""#, 4, 1)]),
    (r#"lexDelimTests"#, r#"for"#, r#"$$for@@"#, r#"$$"#, r#"@@"#, &[(r#"left delim"#, r#"$$"#, 0, 1), (r#"identifier"#, r#"for"#, 2, 1), (r#"right delim"#, r#"@@"#, 5, 1), (r#"EOF"#, r#""#, 7, 1)]),
    (r#"lexDelimTests"#, r#"quote"#, r#"$$"abc \n\t\" "@@"#, r#"$$"#, r#"@@"#, &[(r#"left delim"#, r#"$$"#, 0, 1), (r#"string"#, r#""abc \n\t\" ""#, 2, 1), (r#"right delim"#, r#"@@"#, 15, 1), (r#"EOF"#, r#""#, 17, 1)]),
    (r#"lexDelimTests"#, r#"raw quote"#, r#"$$`abc\n\t\" `@@"#, r#"$$"#, r#"@@"#, &[(r#"left delim"#, r#"$$"#, 0, 1), (r#"raw string"#, r#"`abc\n\t\" `"#, 2, 1), (r#"right delim"#, r#"@@"#, 14, 1), (r#"EOF"#, r#""#, 16, 1)]),
    (r#"lexPosTests"#, r#"empty"#, r#""#, r#""#, r#""#, &[(r#"EOF"#, r#""#, 0, 1)]),
    (r#"lexPosTests"#, r#"punctuation"#, r#"{{,@%#}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"char"#, r#","#, 2, 1), (r#"char"#, r#"@"#, 3, 1), (r#"char"#, r#"%"#, 4, 1), (r#"char"#, r#"#"#, 5, 1), (r#"right delim"#, r#"}}"#, 6, 1), (r#"EOF"#, r#""#, 8, 1)]),
    (r#"lexPosTests"#, r#"sample"#, r#"0123{{hello}}xyz"#, r#""#, r#""#, &[(r#"item20"#, r#"0123"#, 0, 1), (r#"left delim"#, r#"{{"#, 4, 1), (r#"identifier"#, r#"hello"#, 6, 1), (r#"right delim"#, r#"}}"#, 11, 1), (r#"item20"#, r#"xyz"#, 13, 1), (r#"EOF"#, r#""#, 16, 1)]),
    (r#"lexPosTests"#, r#"trimafter"#, r#"{{x -}}
{{y}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"identifier"#, r#"x"#, 2, 1), (r#"right delim"#, r#"}}"#, 5, 1), (r#"left delim"#, r#"{{"#, 8, 2), (r#"identifier"#, r#"y"#, 10, 2), (r#"right delim"#, r#"}}"#, 11, 2), (r#"EOF"#, r#""#, 13, 2)]),
    (r#"lexPosTests"#, r#"trimbefore"#, r#"{{x}}
{{- y}}"#, r#""#, r#""#, &[(r#"left delim"#, r#"{{"#, 0, 1), (r#"identifier"#, r#"x"#, 2, 1), (r#"right delim"#, r#"}}"#, 3, 1), (r#"left delim"#, r#"{{"#, 6, 2), (r#"identifier"#, r#"y"#, 10, 2), (r#"right delim"#, r#"}}"#, 11, 2), (r#"EOF"#, r#""#, 13, 2)]),
];
