// confd's documentation examples as vectors: (source, template, keys,
// expected). Where the docs give no keys, the keys were chosen here; the
// expected output is what Go's text/template with confd's function map
// renders (computed with Go 1.19), byte for byte, since some of the docs'
// "Output:" blocks are abridged (e.g. "Example Usage" drops the blank
// lines its {{range}} leaves and writes error_log as .error.log). An
// expected value starting with "ERROR: " is an error whose text must match.
/// (source, template, keys, expected).
pub type Doc = (&'static str, &'static str, &'static [(&'static str, &'static str)], &'static str);
pub const DOCS: &[Doc] = &[
    (
        r#"kelseyhightower/confd docs/templates.md, "map""#,
        r#"{{$endpoint := map "name" "elasticsearch" "private_port" 9200 "public_port" 443}}

name: {{index $endpoint "name"}}
private-port: {{index $endpoint "private_port"}}
public-port: {{index $endpoint "public_port"}}
"#,
        &[],
        r#"

name: elasticsearch
private-port: 9200
public-port: 443
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "base""#,
        r#"{{with get "/key"}}
    key: {{base .Key}}
    value: {{.Value}}
{{end}}
"#,
        &[(r#"/key"#, r#"value"#)],
        r#"
    key: key
    value: value

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "exists""#,
        r#"{{if exists "/key"}}
    value: {{getv "/key"}}
{{end}}
"#,
        &[(r#"/key"#, r#"value"#)],
        r#"
    value: value

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "exists" (key absent)"#,
        r#"{{if exists "/key"}}
    value: {{getv "/key"}}
{{end}}
"#,
        &[],
        r#"
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "get""#,
        r#"{{with get "/key"}}
    key: {{.Key}}
    value: {{.Value}}
{{end}}
"#,
        &[(r#"/key"#, r#"value"#)],
        r#"
    key: /key
    value: value

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "gets""#,
        r#"{{range gets "/*"}}
    key: {{.Key}}
    value: {{.Value}}
{{end}}
"#,
        &[(r#"/deep/key"#, r#"not matched"#), (r#"/key"#, r#"value"#), (r#"/other"#, r#"two"#)],
        r#"
    key: /key
    value: value

    key: /other
    value: two

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "getv""#,
        r#"value: {{getv "/key"}}
"#,
        &[(r#"/key"#, r#"value"#)],
        r#"value: value
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "getv" with a default value"#,
        r#"value: {{getv "/key" "default_value"}}
"#,
        &[],
        r#"value: default_value
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "getvs""#,
        r#"{{range getvs "/*"}}
    value: {{.}}
{{end}}
"#,
        &[(r#"/a"#, r#"one"#), (r#"/b"#, r#"two"#)],
        r#"
    value: one

    value: two

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "getenv" with a default value"#,
        r#"ipaddr: {{getenv "FLOTTA_CONFD_UNSET_VARIABLE" "127.0.0.1"}}
"#,
        &[],
        r#"ipaddr: 127.0.0.1
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "split""#,
        r#"{{ $url := split (getv "/deis/service") ":" }}
    host: {{index $url 0}}
    port: {{index $url 1}}
"#,
        &[(r#"/deis/service"#, r#"10.0.0.5:8000"#)],
        r#"
    host: 10.0.0.5
    port: 8000
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "toUpper""#,
        r#"key: {{toUpper "value"}}
"#,
        &[],
        r#"key: VALUE
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "toLower""#,
        r#"key: {{toLower "Value"}}
"#,
        &[],
        r#"key: value
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "base64Encode""#,
        r#"key: {{base64Encode "Value"}}
"#,
        &[],
        r#"key: VmFsdWU=
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "base64Decode""#,
        r#"key: {{base64Decode "VmFsdWU="}}
"#,
        &[],
        r#"key: Value
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "json" (the services example)"#,
        r#"{{range gets "/services/zookeeper/*"}}
{{$data := json .Value}}
  id: {{$data.Id}}
  ip: {{$data.IP}}
{{end}}
"#,
        &[(r#"/services/zookeeper/host1"#, r#"{"Id":"host1", "IP":"192.168.10.11"}"#), (r#"/services/zookeeper/host2"#, r#"{"Id":"host2", "IP":"192.168.10.12"}"#)],
        r#"

  id: host1
  ip: 192.168.10.11


  id: host2
  ip: 192.168.10.12

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "Advanced Map Traversals""#,
        r#"{{$data := json (getv "/test/data/")}}
type: {{ (index $data.animals 1).type }}
name: {{ (index $data.animals 1).name }}
{{range $data.animals}}
{{.name}}
{{end}}
"#,
        &[(r#"/test/data/"#, r#"{
  "animals": [
    {"type": "dog", "name": "Fido"},
    {"type": "cat", "name": "Misse"}
  ]
}"#)],
        r#"
type: cat
name: Misse

Fido

Misse

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "jsonArray""#,
        r#"{{range jsonArray (getv "/services/data/")}}
val: {{.}}
{{end}}
"#,
        &[(r#"/services/data/"#, r#"["a", "b", "c"]"#)],
        r#"
val: a

val: b

val: c

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "ls""#,
        r#"{{range ls "/deis/services"}}
   value: {{.}}
{{end}}
"#,
        &[(r#"/deis/services/key"#, r#"value"#), (r#"/deis/services/srv1/node1"#, r#"10.244.1.1:80"#), (r#"/deis/services/srv2/node1"#, r#"10.244.2.1:80"#)],
        r#"
   value: key

   value: srv1

   value: srv2

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "lsdir""#,
        r#"{{range lsdir "/deis/services"}}
   value: {{.}}
{{end}}
"#,
        &[(r#"/deis/services/key"#, r#"value"#), (r#"/deis/services/srv1/node1"#, r#"10.244.1.1:80"#), (r#"/deis/services/srv2/node1"#, r#"10.244.2.1:80"#)],
        r#"
   value: srv1

   value: srv2

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "dir""#,
        r#"{{with dir "/services/data/url"}}
dir: {{.}}
{{end}}
"#,
        &[],
        r#"
dir: /services/data

"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "join""#,
        r#"{{$services := getvs "/services/elasticsearch/*"}}
services: {{join $services ","}}
"#,
        &[(r#"/services/elasticsearch/a"#, r#"10.0.0.1:9200"#), (r#"/services/elasticsearch/b"#, r#"10.0.0.2:9200"#)],
        r#"
services: 10.0.0.1:9200,10.0.0.2:9200
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "replace""#,
        r#"{{$backend := getv "/services/backend/nginx"}}
backend = {{replace $backend "-" "_" -1}}
"#,
        &[(r#"/services/backend/nginx"#, r#"my-backend-1"#)],
        r#"
backend = my_backend_1
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "atoi""#,
        r#"{{seq 1 (atoi (getv "/count"))}}
"#,
        &[(r#"/count"#, r#"4"#)],
        r#"[1 2 3 4]
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "Example Usage" (nginx.conf.tmpl)"#,
        r#"worker_processes {{getv "/nginx/worker_processes"}};

upstream app {
{{range getvs "/app/upstream/*"}}
    server {{.}};
{{end}}
}

server {
    listen 80;
    server_name www.{{getv "/nginx/domain"}};
    access_log /var/log/nginx/{{getv "/nginx/domain"}}.access.log;
    error_log /var/log/nginx/{{getv "/nginx/domain"}}.log;

    location / {
        root              {{getv "/nginx/root"}};
        index             index.html index.htm;
        proxy_pass        http://app;
        proxy_redirect    off;
        proxy_set_header  Host             $host;
        proxy_set_header  X-Real-IP        $remote_addr;
        proxy_set_header  X-Forwarded-For  $proxy_add_x_forwarded_for;
    }
}
"#,
        &[(r#"/app/upstream/app1"#, r#"10.0.1.100:80"#), (r#"/app/upstream/app2"#, r#"10.0.1.101:80"#), (r#"/nginx/domain"#, r#"example.com"#), (r#"/nginx/root"#, r#"/var/www/example_dotcom"#), (r#"/nginx/worker_processes"#, r#"2"#)],
        r#"worker_processes 2;

upstream app {

    server 10.0.1.100:80;

    server 10.0.1.101:80;

}

server {
    listen 80;
    server_name www.example.com;
    access_log /var/log/nginx/example.com.access.log;
    error_log /var/log/nginx/example.com.log;

    location / {
        root              /var/www/example_dotcom;
        index             index.html index.htm;
        proxy_pass        http://app;
        proxy_redirect    off;
        proxy_set_header  Host             $host;
        proxy_set_header  X-Real-IP        $remote_addr;
        proxy_set_header  X-Forwarded-For  $proxy_add_x_forwarded_for;
    }
}
"#,
    ),
    (
        r#"kelseyhightower/confd docs/templates.md, "Complex example""#,
        r#"{{range $dir := lsdir "/services/web"}}
upstream {{base $dir}} {
    {{$custdir := printf "/services/web/%s/*" $dir}}{{range gets $custdir}}
    server {{$data := json .Value}}{{$data.IP}}:80;
    {{end}}
}

server {
    server_name {{base $dir}}.example.com;
    location / {
        proxy_pass {{base $dir}};
    }
}
{{end}}
"#,
        &[(r#"/services/web/cust1/1"#, r#"{"IP": "10.0.0.1"}"#), (r#"/services/web/cust1/2"#, r#"{"IP": "10.0.0.2"}"#), (r#"/services/web/cust2/1"#, r#"{"IP": "10.0.0.3"}"#), (r#"/services/web/cust2/2"#, r#"{"IP": "10.0.0.4"}"#)],
        r#"
upstream cust1 {
    
    server 10.0.0.1:80;
    
    server 10.0.0.2:80;
    
}

server {
    server_name cust1.example.com;
    location / {
        proxy_pass cust1;
    }
}

upstream cust2 {
    
    server 10.0.0.3:80;
    
    server 10.0.0.4:80;
    
}

server {
    server_name cust2.example.com;
    location / {
        proxy_pass cust2;
    }
}

"#,
    ),
    (
        r#"kelseyhightower/confd docs/quick-start-guide.md, "Create the source template""#,
        r#"[myconfig]
database_url = {{getv "/myapp/database/url"}}
database_user = {{getv "/myapp/database/user"}}
"#,
        &[(r#"/myapp/database/url"#, r#"db.example.com"#), (r#"/myapp/database/user"#, r#"rob"#)],
        r#"[myconfig]
database_url = db.example.com
database_user = rob
"#,
    ),
    (
        r#"kelseyhightower/confd docs/quick-start-guide.md, "Advanced Example" (nginx.tmpl, prefix /myapp)"#,
        r#"upstream {{getv "/subdomain"}} {
{{range getvs "/upstream/*"}}
    server {{.}};
{{end}}
}

server {
    server_name  {{getv "/subdomain"}}.example.com;
    location / {
        proxy_pass        http://{{getv "/subdomain"}};
        proxy_redirect    off;
        proxy_set_header  Host             $host;
        proxy_set_header  X-Real-IP        $remote_addr;
        proxy_set_header  X-Forwarded-For  $proxy_add_x_forwarded_for;
   }
}
"#,
        &[(r#"/subdomain"#, r#"myapp"#), (r#"/upstream/app1"#, r#"10.0.1.101:80"#), (r#"/upstream/app2"#, r#"10.0.1.100:80"#)],
        r#"upstream myapp {

    server 10.0.1.100:80;

    server 10.0.1.101:80;

}

server {
    server_name  myapp.example.com;
    location / {
        proxy_pass        http://myapp;
        proxy_redirect    off;
        proxy_set_header  Host             $host;
        proxy_set_header  X-Real-IP        $remote_addr;
        proxy_set_header  X-Forwarded-For  $proxy_add_x_forwarded_for;
   }
}
"#,
    ),
    (
        r#"kelseyhightower/confd docs/quick-start-guide.md, "Advanced Example" (nginx.tmpl, prefix /yourapp)"#,
        r#"upstream {{getv "/subdomain"}} {
{{range getvs "/upstream/*"}}
    server {{.}};
{{end}}
}

server {
    server_name  {{getv "/subdomain"}}.example.com;
    location / {
        proxy_pass        http://{{getv "/subdomain"}};
        proxy_redirect    off;
        proxy_set_header  Host             $host;
        proxy_set_header  X-Real-IP        $remote_addr;
        proxy_set_header  X-Forwarded-For  $proxy_add_x_forwarded_for;
   }
}
"#,
        &[(r#"/subdomain"#, r#"yourapp"#), (r#"/upstream/app1"#, r#"10.0.1.103:80"#), (r#"/upstream/app2"#, r#"10.0.1.102:80"#)],
        r#"upstream yourapp {

    server 10.0.1.102:80;

    server 10.0.1.103:80;

}

server {
    server_name  yourapp.example.com;
    location / {
        proxy_pass        http://yourapp;
        proxy_redirect    off;
        proxy_set_header  Host             $host;
        proxy_set_header  X-Real-IP        $remote_addr;
        proxy_set_header  X-Forwarded-For  $proxy_add_x_forwarded_for;
   }
}
"#,
    ),
    (
        r#"kelseyhightower/confd README.md and docs: a missing key is an error"#,
        r#"value: {{getv "/missing"}}
"#,
        &[],
        r#"value: ERROR: template: test.conf.tmpl:1:9: executing "test.conf.tmpl" at <getv "/missing">: error calling getv: key does not exist: /missing"#,
    ),
    (
        r#"flotta: edge case 1, output computed by Go 1.19 with confd's functions"#,
        r#"{{$d := json (getv "/j")}}{{$d.port}} {{$d.big}} {{$d.small}} {{$d.neg}} {{$d.list}} {{$d.obj}} {{$d.nul}} {{$d.t}}"#,
        &[(r#"/j"#, r#"{"port": 8080, "big": 1e21, "small": 0.000001, "neg": -2.5, "list": [1,"a",null,true], "obj": {"b":1,"a":"x"}, "nul": null, "t": true}"#)],
        r#"8080 1e+21 1e-06 -2.5 [1 a <nil> true] map[a:x b:1] <no value> true"#,
    ),
    (
        r#"flotta: edge case 2, output computed by Go 1.19 with confd's functions"#,
        r#"{{range $k, $v := json (getv "/j")}}{{$k}}={{$v}};{{end}}"#,
        &[(r#"/j"#, r#"{"z": 1, "a": [1,2], "m": {"x": 1}}"#)],
        r#"a=[1 2];m=map[x:1];z=1;"#,
    ),
    (
        r#"flotta: edge case 3, output computed by Go 1.19 with confd's functions"#,
        r#"{{printf "%v|%+v|%s|%q|%d|%5.2f|%x|%T" (get "/a") (get "/a") (getvs "/*") (getv "/a") 42 3.14159 "hi" (gets "/*")}}"#,
        &[(r#"/a"#, r#"1"#), (r#"/b"#, r#"two"#)],
        r#"{/a 1}|{Key:/a Value:1}|[1 two]|"1"|42| 3.14|6869|memkv.KVPairs"#,
    ),
    (
        r#"flotta: edge case 5, output computed by Go 1.19 with confd's functions"#,
        r#"{{map "a" 1 "b" "x"}} {{index (map "a" 1) "a"}} {{seq 3 1}} {{len (seq 1 4)}} {{add 1 2}} {{mul 3 4}} {{sub 1 5}}"#,
        &[],
        r#"map[a:1 b:x] 1 [] 4 3 12 -4"#,
    ),
    (
        r#"flotta: edge case 6, output computed by Go 1.19 with confd's functions"#,
        r#"{{split "a,b,,c" ","}} {{split "abc" ""}} {{replace "aaaa" "a" "b" 2}} {{trimSuffix "file.conf" ".conf"}} {{contains "hello" "ell"}} {{toUpper "straße"}}"#,
        &[],
        r#"[a b  c] [a b c] bbaa file true STRAßE"#,
    ),
    (
        r#"flotta: edge case 7, output computed by Go 1.19 with confd's functions"#,
        r#"{{ls "/"}} {{lsdir "/"}} {{ls "/x/y"}} {{lsdir "/x"}}"#,
        &[(r#"/q"#, r#"3"#), (r#"/x/w"#, r#"2"#), (r#"/x/y/z"#, r#"1"#)],
        r#"[q] [] [z] [y]"#,
    ),
    (
        r#"flotta: edge case 8, output computed by Go 1.19 with confd's functions"#,
        r#"{{with get "/a"}}{{.}}{{end}} {{(get "/a").Key}} {{exists "/nope"}} {{getv "/nope" "dflt"}}"#,
        &[(r#"/a"#, r#"v"#)],
        r#"{/a v} /a false dflt"#,
    ),
    (
        r#"flotta: edge case 9, output computed by Go 1.19 with confd's functions"#,
        r#"{{range gets "/a/*"}}{{.Key}}{{end}}|{{range getvs "/a/*"}}{{.}}{{end}}|{{gets "/zz/*"}}|{{getvs "/zz/*"}}"#,
        &[(r#"/a/1"#, r#"x"#), (r#"/a/1/deep"#, r#"no"#), (r#"/a/2"#, r#"y"#)],
        r#"/a/1/a/2|xy|[]|[]"#,
    ),
    (
        r#"flotta: edge case 10, output computed by Go 1.19 with confd's functions"#,
        r#"{{if and (exists "/a") (eq (getv "/a") "1")}}yes{{else}}no{{end}} {{or "" "dflt"}} {{not 0}} {{len "héllo"}} {{index "abc" 1}} {{slice "abcdef" 1 3}} {{html "<a href='x'>&"}} {{js "it's <b>"}} {{urlquery "a b&c=d"}}"#,
        &[(r#"/a"#, r#"1"#)],
        r#"yes dflt true 6 98 bc &lt;a href=&#39;x&#39;&gt;&amp; it\'s \u003Cb\u003E a+b%26c%3Dd"#,
    ),
    (
        r#"flotta: edge case 11, output computed by Go 1.19 with confd's functions"#,
        r#"{{printf "%08.3f|%-6d|%+d|%o|%X|%e|%g|%c|%U" 3.14159 7 7 8 255 123456.789 0.000012345 65 65}}"#,
        &[],
        r#"0003.142|7     |+7|10|FF|1.234568e+05|1.2345e-05|A|U+0041"#,
    ),
    (
        r#"flotta: edge case 12, output computed by Go 1.19 with confd's functions"#,
        r#"{{parseBool "true"}} {{atoi "-12"}} {{base64Encode "hello"}} {{base64Decode "aGVsbG8="}} {{base "/a/b/"}} {{dir "a"}} {{dir "/a/b/c"}}"#,
        &[],
        r#"true -12 aGVsbG8= hello b . /a/b"#,
    ),
    (
        r#"flotta: edge case 13, output computed by Go 1.19 with confd's functions"#,
        r#"{{$x := 1}}{{range $i, $e := getvs "/*"}}{{$x = $i}}{{end}}{{$x}} {{print 1 2 "a" 3 "b" "c"}} {{println "a" 1}}"#,
        &[(r#"/a"#, r#"1"#), (r#"/b"#, r#"2"#), (r#"/c"#, r#"3"#)],
        r#"2 1 2a3bc a 1
"#,
    ),
    (
        r#"flotta: edge case 14, output computed by Go 1.19 with confd's functions"#,
        r#"{{index (jsonArray (getv "/j")) 1}} {{range jsonArray (getv "/j")}}[{{.}}]{{end}}"#,
        &[(r#"/j"#, r#"[1.5, "x", {"k": 2}]"#)],
        r#"x [1.5][x][map[k:2]]"#,
    ),
];
