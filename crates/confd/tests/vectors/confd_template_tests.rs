// kelseyhightower/confd resource/template/template_test.go, templateTests:
// (desc, template resource TOML, template, expected outputs (any of),
// keys set in the store). Ported as written; the test there renders with
// createStageFile and compares the staged file.
/// (desc, resource TOML, template, expected outputs, store).
pub type TemplateTest = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);
pub const TEMPLATE_TESTS: &[TemplateTest] = &[
    (
        r#"base, get test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/key",
]
"#,
        r#"
{{with get "/test/key"}}
key: {{base .Key}}
val: {{.Value}}
{{end}}
"#,
        &[r#"

key: key
val: abc

"#],
        &[(r#"/test/key"#, r#"abc"#)],
    ),
    (
        r#"gets test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/user",
    "/test/pass",
    "/nada/url",
]
"#,
        r#"
{{range gets "/test/*"}}
key: {{.Key}}
val: {{.Value}}
{{end}}
"#,
        &[r#"

key: /test/pass
val: abc

key: /test/user
val: mary

"#],
        &[(r#"/test/user"#, r#"mary"#), (r#"/test/pass"#, r#"abc"#), (r#"/nada/url"#, r#"url"#)],
    ),
    (
        r#"getv test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/url",
    "/test/user",
]
"#,
        r#"
url = {{getv "/test/url"}}
user = {{getv "/test/user"}}
"#,
        &[r#"
url = http://www.abc.com
user = bob
"#],
        &[(r#"/test/url"#, r#"http://www.abc.com"#), (r#"/test/user"#, r#"bob"#)],
    ),
    (
        r#"getvs test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/user",
    "/test/pass",
    "/nada/url",
]
"#,
        r#"
{{range getvs "/test/*"}}
val: {{.}}
{{end}}
"#,
        &[r#"

val: abc

val: mary

"#],
        &[(r#"/test/user"#, r#"mary"#), (r#"/test/pass"#, r#"abc"#), (r#"/nada/url"#, r#"url"#)],
    ),
    (
        r#"split test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data",
]
"#,
        r#"
{{$data := split (getv "/test/data") ":"}}
f: {{index $data 0}}
br: {{index $data 1}}
bz: {{index $data 2}}
"#,
        &[r#"

f: foo
br: bar
bz: baz
"#],
        &[(r#"/test/data"#, r#"foo:bar:baz"#)],
    ),
    (
        r#"toUpper test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/",
]
"#,
        r#"
{{$data := toUpper (getv "/test/data") }}
key: {{$data}}
"#,
        &[r#"

key: VALUE
"#],
        &[(r#"/test/data"#, r#"Value"#)],
    ),
    (
        r#"toLower test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/",
]
"#,
        r#"
{{$data := toLower (getv "/test/data") }}
key: {{$data}}
"#,
        &[r#"

key: value
"#],
        &[(r#"/test/data"#, r#"Value"#)],
    ),
    (
        r#"json test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/",
]
"#,
        r#"
{{range getvs "/test/data/*"}}
{{$data := json .}}
id: {{$data.Id}}
ip: {{$data.IP}}
{{end}}
"#,
        &[r#"


id: host1
ip: 192.168.10.11


id: host2
ip: 192.168.10.12

"#],
        &[(r#"/test/data/1"#, r#"{"Id":"host1", "IP":"192.168.10.11"}"#), (r#"/test/data/2"#, r#"{"Id":"host2", "IP":"192.168.10.12"}"#)],
    ),
    (
        r#"jsonArray test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/",
]
"#,
        r#"
{{range jsonArray (getv "/test/data/")}}
num: {{.}}
{{end}}
"#,
        &[r#"

num: 1

num: 2

num: 3

"#],
        &[(r#"/test/data/"#, r#"["1", "2", "3"]"#)],
    ),
    (
        r#"ls test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/abc",
    "/test/data/def",
    "/test/data/ghi",
]
"#,
        r#"
{{range ls "/test/data"}}
value: {{.}}
{{end}}
"#,
        &[r#"

value: abc

value: def

value: ghi

"#],
        &[(r#"/test/data/abc"#, r#"123"#), (r#"/test/data/def"#, r#"456"#), (r#"/test/data/ghi"#, r#"789"#)],
    ),
    (
        r#"lsdir test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/abc",
    "/test/data/def/ghi",
    "/test/data/jkl/mno",
]
"#,
        r#"
{{range lsdir "/test/data"}}
value: {{.}}
{{end}}
"#,
        &[r#"

value: def

value: jkl

"#],
        &[(r#"/test/data/abc"#, r#"123"#), (r#"/test/data/def/ghi"#, r#"456"#), (r#"/test/data/jkl/mno"#, r#"789"#)],
    ),
    (
        r#"dir test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data",
    "/test/data/abc",
]
"#,
        r#"
{{with dir "/test/data/abc"}}
dir: {{.}}
{{end}}
"#,
        &[r#"

dir: /test/data

"#],
        &[(r#"/test/data"#, r#"parent"#), (r#"/test/data/def"#, r#"child"#)],
    ),
    (
        r#"ipv4 lookup test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data",
    "/test/data/abc",
]
"#,
        r#"
{{range lookupIPV4 "localhost"}}
ip: {{.}}
{{end}}
"#,
        &[r#"

ip: 127.0.0.1

"#],
        &[(r#"/test/data"#, r#"parent"#), (r#"/test/data/def"#, r#"child"#)],
    ),
    (
        r#"ipv6 lookup test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data",
    "/test/data/abc",
]
"#,
        r#"
{{range lookupIPV6 "localhost"}}
ip: {{.}}
{{end}}
"#,
        &[r#"
ip: ::1

"#, r#"

"#],
        &[(r#"/test/data"#, r#"parent"#), (r#"/test/data/def"#, r#"child"#)],
    ),
    (
        r#"ip lookup test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data",
    "/test/data/abc",
]
"#,
        r#"
{{range lookupIP "localhost"}}
ip: {{.}}
{{end}}
"#,
        &[r#"

ip: 127.0.0.1

"#, r#"

ip: 127.0.0.1

ip: ::1

"#, r#"

ip: ::1

"#],
        &[(r#"/test/data"#, r#"parent"#), (r#"/test/data/def"#, r#"child"#)],
    ),
    (
        r#"base64Encode test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/",
]
"#,
        r#"
{{$data := base64Encode (getv "/test/data") }}
key: {{$data}}
"#,
        &[r#"

key: VmFsdWU=
"#],
        &[(r#"/test/data"#, r#"Value"#)],
    ),
    (
        r#"base64Decode test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/data/",
]
"#,
        r#"
{{$data := base64Decode (getv "/test/data") }}
key: {{$data}}
"#,
        &[r#"

key: Value
"#],
        &[(r#"/test/data"#, r#"VmFsdWU="#)],
    ),
    (
        r#"seq test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
"#,
        r#"
{{ seq 1 3 }}
"#,
        &[r#"
[1 2 3]
"#],
        &[],
    ),
    (
        r#"atoi test"#,
        r#"
[template]
src = "test.conf.tmpl"
dest = "./tmp/test.conf"
keys = [
    "/test/count/",
]
"#,
        r#"
{{ seq 1 (atoi (getv "/test/count")) }}
"#,
        &[r#"
[1 2 3]
"#],
        &[(r#"/test/count"#, r#"3"#)],
    ),
];
