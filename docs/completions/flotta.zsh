#compdef flotta

autoload -U is-at-least

_flotta() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_flotta_commands" \
"*::: :->flotta" \
&& ret=0
    case $state in
    (flotta)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-command-$line[1]:"
        case $line[1] in
            (demo)
_arguments "${_arguments_options[@]}" : \
'--machines=[Machines in the dev cluster]:N:_default' \
'--api-listen=[The cluster'\''s API (default 127.0.0.1\:4949, or a free port if taken)]:ADDR:PORT:_default' \
'--balancer-port=[Port of the balancer on 127.0.0.1 (default 8000, or a free port if taken)]:PORT:_default' \
'--state-dir=[Keep the cluster'\''s state here (default\: a temporary directory, removed on exit)]:DIR:_files' \
'--balancer=[The balancer\: Apache \`mod_proxy_balancer\` kept current by \`flotta balance --config\` (when apache2 is installed), or the built-in proxy]:BALANCER:((auto\:"Apache when \`/usr/sbin/apache2\` exists, else the built-in proxy"
builtin\:"flotta'\''s built-in proxy"
apache\:"Apache \`mod_proxy_balancer\`"))' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--exit[Stop after the tour instead of waiting for Ctrl-C]' \
'--etcd[Run the machines as separate \`flotta agent\` processes sharing a local etcd cluster of as many members (needs the \`etcd\` binary)]' \
'--drill[After the tour, the failure drill under load\: lose a machine, stop an etcd member (with --etcd), destroy an instance; prints the figures]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(unit)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_flotta__subcmd__unit_commands" \
"*::: :->unit" \
&& ret=0

    case $state in
    (unit)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-unit-command-$line[1]:"
        case $line[1] in
            (verify)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print diagnostics as a JSON array]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::files -- Unit files to check; a directory means the unit files in it and below (by name\: `*.service`, `*.socket`, …):_files' \
&& ret=0
;;
(parse)
_arguments "${_arguments_options[@]}" : \
'--instance=[Treat a template file as this instance (for %i in \[X-Fleet\])]:INSTANCE:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print fleet'\''s JSON option list (the default)]' \
'(--json)--fleet[Print the typed \[X-Fleet\] requirements as JSON instead]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The unit file:_files' \
&& ret=0
;;
(name)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print a JSON array]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::names -- Unit names to describe:_default' \
&& ret=0
;;
(escape)
_arguments "${_arguments_options[@]}" : \
'--template=[Insert each result as the instance of this template unit name]:TEMPLATE:_default' \
'--suffix=[Append this unit type suffix]:SUFFIX:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-u[Unescape instead of escape]' \
'--unescape[Unescape instead of escape]' \
'-p[Treat the strings as file system paths]' \
'--path[Treat the strings as file system paths]' \
'--instance[With --unescape, unescape only the instance part of a unit name]' \
'-m[Mangle a string into a valid unit name (as systemctl does)]' \
'--mangle[Mangle a string into a valid unit name (as systemctl does)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::strings -- The strings to transform:_default' \
&& ret=0
;;
(expand)
_arguments "${_arguments_options[@]}" : \
'--unit=[The unit whose name, instance and prefix the specifiers refer to]:NAME:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':string -- The text to expand:_default' \
&& ret=0
;;
(cat)
_arguments "${_arguments_options[@]}" : \
'--instance=[Show the template file as this instance]:INSTANCE:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--expand[Expand specifiers in every value (machine facts from this host)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The unit file:_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__unit__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-unit-help-command-$line[1]:"
        case $line[1] in
            (verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(parse)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(name)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(escape)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(expand)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(cat)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(plan)
_arguments "${_arguments_options[@]}" : \
'--units=[Directory of unit files; every non-template unit in it is planned. Without \`--units\` and \`--machines\`, the live cluster is planned]:DIR:_files' \
'--machines=[JSON file with the machines\: \`\[{"id"\: "...", "publicIp"\: "...", "metadata"\: {"k"\: "v"}}\]\`]:FILE:_files' \
'--explain=[Explain the placement of one unit, machine by machine]:UNIT:_default' \
'*--plugin=[A WebAssembly placement plugin applied to every unit (repeatable)]:FILE.wasm:_files' \
'*--unit-plugin=[A plugin applied only to units naming it (its file stem) in \`\[X-Flotta\] Placement=\` (repeatable)]:FILE.wasm:_files' \
'*--plugin-config=[\`KEY=VALUE\` handed to every plugin'\''s \`init\` (repeatable)]:KEY=VALUE:_default' \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print the plan as JSON]' \
'--plugin-fail-open[Ignore a failing plugin for the unit instead of leaving it unplaced]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::instances -- More units to plan\: a file of that name in DIR, else its template (`foo@.service` for `foo@1.service`, or `app@.service` for `app.1@8080.service`):_default' \
&& ret=0
;;
(agent)
_arguments "${_arguments_options[@]}" : \
'--config=[Settings file (TOML; keys are these flags'\'' long names, e.g. \`state-dir = "/var/lib/flotta"\`); flags and FLOTTA_* variables win over it]:FILE:_files' \
'--machines=[With \`--dev\`\: how many machines (1-254; default 3)]:N:_default' \
'--registry=[The registry\: \`memory\` (this process only), \`memory\:PATH\` (persisted to PATH), or etcd given with \`--etcd\`]:memory[:PATH]:_default' \
'*--etcd=[etcd client URLs, comma-separated]:URL:_default' \
'--etcd-prefix=[Key prefix of the cluster in etcd (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[CA certificate that signed etcd'\''s (PEM); use https\:// endpoints]:FILE:_files' \
'--etcd-cert=[Client certificate for etcd (PEM), with \`--etcd-key\`]:FILE:_files' \
'--etcd-key=[Client key for etcd (PEM), with \`--etcd-cert\`]:FILE:_files' \
'--etcd-user=[etcd user, \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--state-dir=[Where the agent keeps unit state, output and the journal (default /var/lib/flotta; with --dev, ~/.local/state/flotta/dev)]:DIR:_files' \
'--public-ip=[The address balancers and other machines reach this one at]:PUBLIC_IP:_default' \
'--private-ip=[The address inside the cluster network]:PRIVATE_IP:_default' \
'--metadata=[Metadata, \`key=value,key=value\` (matched by \`MachineMetadata=\`)]:METADATA:_default' \
'--machine-id-file=[Read the machine ID from this file (else one is generated into the state dir; default /etc/machine-id)]:FILE:_files' \
'--lease-ttl-secs=[Seconds the machine'\''s lease outlives the agent (default 10)]:SECS:_default' \
'--reschedule-grace-secs=[Seconds a vanished machine keeps its units before the engine moves them (default 10)]:SECS:_default' \
'--max-starting=[Units this machine starts at once; later starts queue (default 32)]:N:_default' \
'--api-listen=[Serve the API here\: \`unix\:/path\`, \`IP\:PORT\` or \`none\` (default\: unix\:/run/flotta/flotta.sock, or flotta.sock in a --state-dir; with --dev, 127.0.0.1\:4949). Over TCP clients need a token\: --api-token, else one generated into the state dir (api.token, mode 0600). Off loopback TLS too]:ADDR:_default' \
'--api-token=[Bearer token API clients must send]:TOKEN:_default' \
'--api-read-token=[A token that may only read (list, get, watch); default over TCP\: one generated into the state dir (api-read.token, mode 0600)]:TOKEN:_default' \
'--api-tls-cert=[TLS certificate (PEM) for the API]:FILE:_files' \
'--api-tls-key=[TLS key (PEM) for the API]:FILE:_files' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--dev[Run a whole development cluster in this process\: \`--machines\` simulated machines (127.0.0.N, metadata machine=N) on a registry persisted under the state dir, with the API on 127.0.0.1\:4949]' \
'--no-engine[Do not run an engine here (machines without one never lead)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(journal)
_arguments "${_arguments_options[@]}" : \
'--state-dir=[The agent'\''s state directory (the journal is its \`journal/\`)]:STATE_DIR:_files' \
'-n+[Show the last N entries (fleetctl'\''s default\: 10)]:N:_default' \
'--lines=[Show the last N entries (fleetctl'\''s default\: 10)]:N:_default' \
'--since=[Only entries newer than this long ago (\`10min\`, \`2h\`, \`1d\`)]:SPAN:_default' \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-f[Keep printing entries as they are written, until Ctrl-C]' \
'--follow[Keep printing entries as they are written, until Ctrl-C]' \
'--json[One JSON object per line (\`at_us\`, \`stream\`, \`text\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':unit -- The unit (`sample.application@8080.service`):_default' \
&& ret=0
;;
(balance)
_arguments "${_arguments_options[@]}" : \
'(--config)--listen=[Run the built-in proxy on this address (the default balancer)]:ADDR:PORT:_default' \
'(--prefix)--service=[Follow this service'\''s endpoints (\`\[X-Flotta\] Service=\`)]:SERVICE:_default' \
'--prefix=[Follow raw \`host\:port\` keys under this prefix (the seed'\''s \`etcdctl set /applications/sample/… host\:port\`)]:PREFIX:_default' \
'--config=[Keep external balancers'\'' config files applied (confd-style TOML with \`\[\[template\]\]\` resources) instead of proxying]:FILE:_files' \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--policy=[Built-in proxy\: how a backend is chosen]:POLICY:((round-robin\:"In turn, by weight"
least-connections\:"Fewest open connections"))' \
'--health-path=[Built-in proxy\: health-check with \`GET PATH\` (TCP connect if unset)]:PATH:_default' \
'--check-interval-ms=[Built-in proxy\: milliseconds between health checks]:MS:_default' \
'--idle-timeout-ms=[Built-in proxy\: close a connection with no bytes either way for this many milliseconds (slow or silent clients give their slot back)]:MS:_default' \
'--max-connections=[Built-in proxy\: open client connections at most; more are closed as they are accepted]:N:_default' \
'--max-per-backend=[Built-in proxy\: open connections per backend at most]:N:_default' \
'--drain-timeout-ms=[Built-in proxy\: close connections to a removed backend after this many milliseconds of draining]:MS:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(confd)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-V[Print version]' \
'--version[Print version]' \
'*::args -- confd'\''s flags (`-onetime`, `--watch`, `-backend etcdv3`, `-node URL`, `-confdir DIR`, `-prefix P`, `-interval N`, `-noop`, `-sync-only`, `-keep-stage-file`, TLS and auth); `flotta confd -h` lists them:_default' \
&& ret=0
;;
(plugin)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_flotta__subcmd__plugin_commands" \
"*::: :->plugin" \
&& ret=0

    case $state in
    (plugin)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-plugin-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print the result as JSON]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The component (`.wasm`, or component `.wat` text):_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__plugin__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-plugin-help-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(submit)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--replace[Replace units already in the cluster with different contents (as fleetctl'\''s --replace)\: each runs its new contents where it runs, or moves if they no longer fit its machine]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(load)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--block-attempts=[Give up waiting after N checks a quarter second apart (0\: wait as long as it takes)]:N:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-block[Do not wait for the units to reach their state]' \
'--replace[Replace units already in the cluster with the local files'\'' contents (as fleetctl'\''s --replace)\: each is restarted with its new contents where it runs, or moves if they no longer fit its machine]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(start)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--block-attempts=[Give up waiting after N checks a quarter second apart (0\: wait as long as it takes)]:N:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-block[Do not wait for the units to reach their state]' \
'--replace[Replace units already in the cluster with the local files'\'' contents (as fleetctl'\''s --replace)\: each is restarted with its new contents where it runs, or moves if they no longer fit its machine]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(stop)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--block-attempts=[Give up waiting after N checks a quarter second apart (0\: wait as long as it takes)]:N:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-block[Do not wait for the units to reach their state]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(restart)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--block-attempts=[Give up waiting after N checks a quarter second apart (0\: wait as long as it takes)]:N:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-block[Do not wait for the units to reach their state]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(unload)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--block-attempts=[Give up waiting after N checks a quarter second apart (0\: wait as long as it takes)]:N:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-block[Do not wait for the units to reach their state]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(destroy)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(list-units)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'*--fields=[Columns to print, comma-separated (see the header names, lowercase)]:FIELDS:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-legend[Print no header row]' \
'--full[Full machine IDs and hashes]' \
'--json[Rows as a JSON array of objects]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(scale)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--block-attempts=[Give up waiting after N checks a quarter second apart (0\: wait as long as it takes)]:N:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-block[Do not wait for the instances to run]' \
'--json[A JSON summary\: \`{"template", "instances", "destroyed"}\`]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':template -- The template (`noop@.service`, or a local file `units/noop@.service`):_default' \
':count -- How many instances should run\: `PREFIX@1` … `PREFIX@N`:_default' \
&& ret=0
;;
(list-unit-files)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'*--fields=[Columns to print, comma-separated (see the header names, lowercase)]:FIELDS:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-legend[Print no header row]' \
'--full[Full machine IDs and hashes]' \
'--json[Rows as a JSON array of objects]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(list-machines)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'*--fields=[Columns to print, comma-separated (see the header names, lowercase)]:FIELDS:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--no-legend[Print no header row]' \
'--full[Full machine IDs and hashes]' \
'--json[Rows as a JSON array of objects]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'-n+[Journal lines to show (systemctl'\''s default\: 10; 0 for none)]:N:_default' \
'--lines=[Journal lines to show (systemctl'\''s default\: 10; 0 for none)]:N:_default' \
'--state-dir=[The local agent'\''s state directory, for journals of units that run on this machine (others come from the API)]:STATE_DIR:_files' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::units -- Unit names or files; globs (`sample.application.*`) match units in the cluster:_default' \
&& ret=0
;;
(cat)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[JSON output]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':unit -- The unit:_default' \
&& ret=0
;;
(why)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[JSON output]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':unit -- The unit:_default' \
&& ret=0
;;
(kv)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_flotta__subcmd__kv_commands" \
"*::: :->kv" \
&& ret=0

    case $state in
    (kv)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-kv-command-$line[1]:"
        case $line[1] in
            (get)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':key -- The key, an absolute path (`/applications/sample/app1`):_default' \
&& ret=0
;;
(set)
_arguments "${_arguments_options[@]}" : \
'--ttl=[Remove the key after this many seconds (etcdctl'\''s \`--ttl\`)]:SECS:_default' \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':key -- The key, an absolute path:_default' \
':value -- The value:_default' \
&& ret=0
;;
(ls)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[A JSON object of key -> value]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::prefix -- The prefix (`/applications/sample/`):_default' \
&& ret=0
;;
(rm)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':key -- The key, an absolute path (`/applications/sample/app1`):_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__kv__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-kv-help-command-$line[1]:"
        case $line[1] in
            (get)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(set)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(ls)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(rm)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(greeter)
_arguments "${_arguments_options[@]}" : \
'--listen=[Address to listen on]:ADDR:PORT:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(machine)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_flotta__subcmd__machine_commands" \
"*::: :->machine" \
&& ret=0

    case $state in
    (machine)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-machine-command-$line[1]:"
        case $line[1] in
            (drain)
_arguments "${_arguments_options[@]}" : \
'--reason=[Why (kept with the drain)]:REASON:_default' \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':machine -- Machine ID, or a prefix of one that is registered (as `list-machines` shows):_default' \
&& ret=0
;;
(undrain)
_arguments "${_arguments_options[@]}" : \
'--reason=[Why (kept with the drain)]:REASON:_default' \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'*--etcd=[etcd client URLs, comma-separated\: talk to etcd directly (wins over --endpoint)]:URL:_default' \
'--etcd-prefix=[With --etcd\: the cluster'\''s key prefix (default \`/flotta/v1/\`)]:PREFIX:_default' \
'--etcd-cacert=[With --etcd\: CA certificate that signed etcd'\''s (PEM); https\:// URLs]:FILE:_files' \
'--etcd-cert=[With --etcd\: client certificate (PEM), with --etcd-key]:FILE:_files' \
'--etcd-key=[With --etcd\: client key (PEM), with --etcd-cert]:FILE:_files' \
'--etcd-user=[With --etcd\: \`USER\:PASSWORD\`]:USER:PASS:_default' \
'--driver=[fleetctl'\''s \`--driver\`\: \`api\` (its default) or \`etcd\`, which makes \`--endpoint\` (or \`FLEETCTL_ENDPOINT\`) name etcd'\''s URLs]:DRIVER:(api etcd)' \
'--tunnel=[Accepted for fleetctl compatibility\: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)]:HOST:_default' \
'--strict-host-key-checking=[Accepted for fleetctl compatibility (no SSH is involved; a note says so)]::BOOL:_default' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':machine -- Machine ID, or a prefix of one that is registered (as `list-machines` shows):_default' \
&& ret=0
;;
(crash)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print the API'\''s answer as JSON]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':machine -- Machine ID, or a prefix of one (as `list-machines` shows):_default' \
&& ret=0
;;
(restart)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The flotta API\: \`http\://HOST\:PORT\`, \`https\://HOST\:PORT\` (with --ca-file) or \`unix\:/path\`. Unset\: fleetctl'\''s \`FLEETCTL_ENDPOINT\`, else the dev cluster'\''s \`http\://127.0.0.1\:4949\`]:URL:_default' \
'--token=[Bearer token for the API (its \`--api-token\`). Unset, for a loopback endpoint\: the one the agent generated for this user, if any]:TOKEN:_default' \
'--token-file=[File holding the bearer token (an agent'\''s state dir has api.token, and api-read.token, which can only read)]:FILE:_files' \
'--ca-file=[CA certificate (PEM) that signed an https\:// endpoint'\''s certificate]:FILE:_files' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'--json[Print the API'\''s answer as JSON]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':machine -- Machine ID, or a prefix of one (as `list-machines` shows):_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__machine__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-machine-help-command-$line[1]:"
        case $line[1] in
            (drain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(undrain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(crash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(restart)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(version)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'--dir=[Where to write the pages (created if missing)]:DIR:_files' \
'--log=[Log filter for diagnostics on stderr (e.g. \`debug\`, \`flotta=trace\`)]:LOG:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-help-command-$line[1]:"
        case $line[1] in
            (demo)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(unit)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__help__subcmd__unit_commands" \
"*::: :->unit" \
&& ret=0

    case $state in
    (unit)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-help-unit-command-$line[1]:"
        case $line[1] in
            (verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(parse)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(name)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(escape)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(expand)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(cat)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(plan)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(agent)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(journal)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(balance)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(confd)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(plugin)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__help__subcmd__plugin_commands" \
"*::: :->plugin" \
&& ret=0

    case $state in
    (plugin)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-help-plugin-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(submit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(load)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(start)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stop)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(restart)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(unload)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(destroy)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list-units)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(scale)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list-unit-files)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list-machines)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(cat)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(why)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(kv)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__help__subcmd__kv_commands" \
"*::: :->kv" \
&& ret=0

    case $state in
    (kv)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-help-kv-command-$line[1]:"
        case $line[1] in
            (get)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(set)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(ls)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(rm)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(greeter)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(machine)
_arguments "${_arguments_options[@]}" : \
":: :_flotta__subcmd__help__subcmd__machine_commands" \
"*::: :->machine" \
&& ret=0

    case $state in
    (machine)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:flotta-help-machine-command-$line[1]:"
        case $line[1] in
            (drain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(undrain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(crash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(restart)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_flotta_commands] )) ||
_flotta_commands() {
    local commands; commands=(
'demo:The seed walkthrough on a dev cluster\: four instances behind a balancer, then a fifth joining the rotation (Ctrl-C ends it)' \
'unit:Check, parse and inspect unit files, unit names and specifiers' \
'plan:Plan where units would run on a described cluster, and explain why not' \
'agent:Run this machine'\''s units\: register it, run what is assigned to it, report states and endpoints (units survive an agent restart); with \`--dev --machines N\`, a whole development cluster in this process' \
'journal:Print a unit'\''s journal on this machine (\`-n\`, \`--since\`, \`-f\`)' \
'balance:Keep a load balancer following the registry\: the built-in proxy (\`--listen\`) or external balancers'\'' config files (\`--config\`)' \
'confd:confd, drop-in\: its flags, \`confd.toml\`, template resources and Go templates, from etcd (\`-backend etcdv3\`) or a flotta API (\`-backend flotta\`); \`flotta confd -h\` lists the flags' \
'plugin:Inspect WebAssembly placement plugins' \
'submit:Store unit files in the cluster (a local file, else a local template, else a template already in the cluster)' \
'load:Place units on machines without starting them (target \`loaded\`)' \
'start:Place and start units (target \`launched\`), waiting until they run' \
'stop:Stop units, keeping them placed (target \`loaded\`)' \
'restart:Stop units, wait until their machines report them stopped, then start them again' \
'unload:Stop units and take them off their machines (target \`inactive\`)' \
'destroy:Remove units from the cluster' \
'list-units:Units and where they run\: UNIT MACHINE ACTIVE SUB' \
'scale:Run instances 1..N of a template (\`noop@1\` … \`noop@N\`); instances numbered above N are destroyed' \
'list-unit-files:Unit files in the cluster\: UNIT HASH DSTATE STATE TARGET' \
'list-machines:Machines in the cluster\: MACHINE IP METADATA' \
'status:A unit'\''s state on its machine, with the reason for a failure' \
'cat:Print a unit file as the cluster stores it' \
'why:Where a unit runs, or why it does not (machine by machine)' \
'kv:Raw keys, etcdctl-style\: get, set (with --ttl), ls, rm' \
'greeter:The seed'\''s sample application\: \`GET /sample\` greets, \`GET /health\`' \
'machine:Drain a machine (its units move elsewhere) or let it take units again; crash or restart a dev cluster'\''s machine' \
'version:Print flotta'\''s version (as \`flotta --version\`; fleetctl'\''s \`version\`)' \
'completions:Print a shell completion script\: \`flotta completions bash > /etc/bash_completion.d/flotta\`' \
'man:Write man pages (\`flotta.1\`, \`flotta-start.1\`, …) into a directory' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta commands' commands "$@"
}
(( $+functions[_flotta__subcmd__agent_commands] )) ||
_flotta__subcmd__agent_commands() {
    local commands; commands=()
    _describe -t commands 'flotta agent commands' commands "$@"
}
(( $+functions[_flotta__subcmd__balance_commands] )) ||
_flotta__subcmd__balance_commands() {
    local commands; commands=()
    _describe -t commands 'flotta balance commands' commands "$@"
}
(( $+functions[_flotta__subcmd__cat_commands] )) ||
_flotta__subcmd__cat_commands() {
    local commands; commands=()
    _describe -t commands 'flotta cat commands' commands "$@"
}
(( $+functions[_flotta__subcmd__completions_commands] )) ||
_flotta__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'flotta completions commands' commands "$@"
}
(( $+functions[_flotta__subcmd__confd_commands] )) ||
_flotta__subcmd__confd_commands() {
    local commands; commands=()
    _describe -t commands 'flotta confd commands' commands "$@"
}
(( $+functions[_flotta__subcmd__demo_commands] )) ||
_flotta__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'flotta demo commands' commands "$@"
}
(( $+functions[_flotta__subcmd__destroy_commands] )) ||
_flotta__subcmd__destroy_commands() {
    local commands; commands=()
    _describe -t commands 'flotta destroy commands' commands "$@"
}
(( $+functions[_flotta__subcmd__greeter_commands] )) ||
_flotta__subcmd__greeter_commands() {
    local commands; commands=()
    _describe -t commands 'flotta greeter commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help_commands] )) ||
_flotta__subcmd__help_commands() {
    local commands; commands=(
'demo:The seed walkthrough on a dev cluster\: four instances behind a balancer, then a fifth joining the rotation (Ctrl-C ends it)' \
'unit:Check, parse and inspect unit files, unit names and specifiers' \
'plan:Plan where units would run on a described cluster, and explain why not' \
'agent:Run this machine'\''s units\: register it, run what is assigned to it, report states and endpoints (units survive an agent restart); with \`--dev --machines N\`, a whole development cluster in this process' \
'journal:Print a unit'\''s journal on this machine (\`-n\`, \`--since\`, \`-f\`)' \
'balance:Keep a load balancer following the registry\: the built-in proxy (\`--listen\`) or external balancers'\'' config files (\`--config\`)' \
'confd:confd, drop-in\: its flags, \`confd.toml\`, template resources and Go templates, from etcd (\`-backend etcdv3\`) or a flotta API (\`-backend flotta\`); \`flotta confd -h\` lists the flags' \
'plugin:Inspect WebAssembly placement plugins' \
'submit:Store unit files in the cluster (a local file, else a local template, else a template already in the cluster)' \
'load:Place units on machines without starting them (target \`loaded\`)' \
'start:Place and start units (target \`launched\`), waiting until they run' \
'stop:Stop units, keeping them placed (target \`loaded\`)' \
'restart:Stop units, wait until their machines report them stopped, then start them again' \
'unload:Stop units and take them off their machines (target \`inactive\`)' \
'destroy:Remove units from the cluster' \
'list-units:Units and where they run\: UNIT MACHINE ACTIVE SUB' \
'scale:Run instances 1..N of a template (\`noop@1\` … \`noop@N\`); instances numbered above N are destroyed' \
'list-unit-files:Unit files in the cluster\: UNIT HASH DSTATE STATE TARGET' \
'list-machines:Machines in the cluster\: MACHINE IP METADATA' \
'status:A unit'\''s state on its machine, with the reason for a failure' \
'cat:Print a unit file as the cluster stores it' \
'why:Where a unit runs, or why it does not (machine by machine)' \
'kv:Raw keys, etcdctl-style\: get, set (with --ttl), ls, rm' \
'greeter:The seed'\''s sample application\: \`GET /sample\` greets, \`GET /health\`' \
'machine:Drain a machine (its units move elsewhere) or let it take units again; crash or restart a dev cluster'\''s machine' \
'version:Print flotta'\''s version (as \`flotta --version\`; fleetctl'\''s \`version\`)' \
'completions:Print a shell completion script\: \`flotta completions bash > /etc/bash_completion.d/flotta\`' \
'man:Write man pages (\`flotta.1\`, \`flotta-start.1\`, …) into a directory' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__agent_commands] )) ||
_flotta__subcmd__help__subcmd__agent_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help agent commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__balance_commands] )) ||
_flotta__subcmd__help__subcmd__balance_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help balance commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__cat_commands] )) ||
_flotta__subcmd__help__subcmd__cat_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help cat commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__completions_commands] )) ||
_flotta__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help completions commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__confd_commands] )) ||
_flotta__subcmd__help__subcmd__confd_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help confd commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__demo_commands] )) ||
_flotta__subcmd__help__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help demo commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__destroy_commands] )) ||
_flotta__subcmd__help__subcmd__destroy_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help destroy commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__greeter_commands] )) ||
_flotta__subcmd__help__subcmd__greeter_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help greeter commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__help_commands] )) ||
_flotta__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__journal_commands] )) ||
_flotta__subcmd__help__subcmd__journal_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help journal commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__kv_commands] )) ||
_flotta__subcmd__help__subcmd__kv_commands() {
    local commands; commands=(
'get:Print a key'\''s value (exit 1 when it does not exist)' \
'set:Set a key, optionally expiring after \`--ttl\` seconds' \
'ls:List keys under a prefix (\`key value\` per line, or \`--json\`)' \
'rm:Remove a key (exit 1 when it did not exist)' \
    )
    _describe -t commands 'flotta help kv commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__kv__subcmd__get_commands] )) ||
_flotta__subcmd__help__subcmd__kv__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help kv get commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__kv__subcmd__ls_commands] )) ||
_flotta__subcmd__help__subcmd__kv__subcmd__ls_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help kv ls commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__kv__subcmd__rm_commands] )) ||
_flotta__subcmd__help__subcmd__kv__subcmd__rm_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help kv rm commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__kv__subcmd__set_commands] )) ||
_flotta__subcmd__help__subcmd__kv__subcmd__set_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help kv set commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__list-machines_commands] )) ||
_flotta__subcmd__help__subcmd__list-machines_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help list-machines commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__list-unit-files_commands] )) ||
_flotta__subcmd__help__subcmd__list-unit-files_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help list-unit-files commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__list-units_commands] )) ||
_flotta__subcmd__help__subcmd__list-units_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help list-units commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__load_commands] )) ||
_flotta__subcmd__help__subcmd__load_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help load commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__machine_commands] )) ||
_flotta__subcmd__help__subcmd__machine_commands() {
    local commands; commands=(
'drain:Move a machine'\''s units elsewhere and place nothing new on it' \
'undrain:Let a drained machine take units again (placed units stay put)' \
'crash:Dev cluster only (\`flotta agent --dev\`)\: simulate a power loss. The machine'\''s agent stops without a goodbye and its units are killed; the engine moves them after the lease TTL and grace period' \
'restart:Dev cluster only\: boot a crashed machine again' \
    )
    _describe -t commands 'flotta help machine commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__machine__subcmd__crash_commands] )) ||
_flotta__subcmd__help__subcmd__machine__subcmd__crash_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help machine crash commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__machine__subcmd__drain_commands] )) ||
_flotta__subcmd__help__subcmd__machine__subcmd__drain_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help machine drain commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__machine__subcmd__restart_commands] )) ||
_flotta__subcmd__help__subcmd__machine__subcmd__restart_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help machine restart commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__machine__subcmd__undrain_commands] )) ||
_flotta__subcmd__help__subcmd__machine__subcmd__undrain_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help machine undrain commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__man_commands] )) ||
_flotta__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help man commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__plan_commands] )) ||
_flotta__subcmd__help__subcmd__plan_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help plan commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__plugin_commands] )) ||
_flotta__subcmd__help__subcmd__plugin_commands() {
    local commands; commands=(
'check:Validate a component against the \`flotta\:placement\` world and print its imports and exports (without running it)' \
    )
    _describe -t commands 'flotta help plugin commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__plugin__subcmd__check_commands] )) ||
_flotta__subcmd__help__subcmd__plugin__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help plugin check commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__restart_commands] )) ||
_flotta__subcmd__help__subcmd__restart_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help restart commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__scale_commands] )) ||
_flotta__subcmd__help__subcmd__scale_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help scale commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__start_commands] )) ||
_flotta__subcmd__help__subcmd__start_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help start commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__status_commands] )) ||
_flotta__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help status commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__stop_commands] )) ||
_flotta__subcmd__help__subcmd__stop_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help stop commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__submit_commands] )) ||
_flotta__subcmd__help__subcmd__submit_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help submit commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit_commands] )) ||
_flotta__subcmd__help__subcmd__unit_commands() {
    local commands; commands=(
'verify:Check unit files and print every diagnostic; exits 1 if any is an error' \
'parse:Print a unit file as fleet'\''s JSON option list, or its typed \[X-Fleet\] requirements' \
'name:Tell whether unit names are valid, and what they are made of' \
'escape:Escape or unescape strings for use in unit names (same flags as systemd-escape)' \
'expand:Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host' \
'cat:Print a unit file, optionally as an instance and with specifiers expanded' \
    )
    _describe -t commands 'flotta help unit commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit__subcmd__cat_commands] )) ||
_flotta__subcmd__help__subcmd__unit__subcmd__cat_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unit cat commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit__subcmd__escape_commands] )) ||
_flotta__subcmd__help__subcmd__unit__subcmd__escape_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unit escape commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit__subcmd__expand_commands] )) ||
_flotta__subcmd__help__subcmd__unit__subcmd__expand_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unit expand commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit__subcmd__name_commands] )) ||
_flotta__subcmd__help__subcmd__unit__subcmd__name_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unit name commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit__subcmd__parse_commands] )) ||
_flotta__subcmd__help__subcmd__unit__subcmd__parse_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unit parse commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unit__subcmd__verify_commands] )) ||
_flotta__subcmd__help__subcmd__unit__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unit verify commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__unload_commands] )) ||
_flotta__subcmd__help__subcmd__unload_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help unload commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__version_commands] )) ||
_flotta__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help version commands' commands "$@"
}
(( $+functions[_flotta__subcmd__help__subcmd__why_commands] )) ||
_flotta__subcmd__help__subcmd__why_commands() {
    local commands; commands=()
    _describe -t commands 'flotta help why commands' commands "$@"
}
(( $+functions[_flotta__subcmd__journal_commands] )) ||
_flotta__subcmd__journal_commands() {
    local commands; commands=()
    _describe -t commands 'flotta journal commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv_commands] )) ||
_flotta__subcmd__kv_commands() {
    local commands; commands=(
'get:Print a key'\''s value (exit 1 when it does not exist)' \
'set:Set a key, optionally expiring after \`--ttl\` seconds' \
'ls:List keys under a prefix (\`key value\` per line, or \`--json\`)' \
'rm:Remove a key (exit 1 when it did not exist)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta kv commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__get_commands] )) ||
_flotta__subcmd__kv__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv get commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__help_commands] )) ||
_flotta__subcmd__kv__subcmd__help_commands() {
    local commands; commands=(
'get:Print a key'\''s value (exit 1 when it does not exist)' \
'set:Set a key, optionally expiring after \`--ttl\` seconds' \
'ls:List keys under a prefix (\`key value\` per line, or \`--json\`)' \
'rm:Remove a key (exit 1 when it did not exist)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta kv help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__help__subcmd__get_commands] )) ||
_flotta__subcmd__kv__subcmd__help__subcmd__get_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv help get commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__help__subcmd__help_commands] )) ||
_flotta__subcmd__kv__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv help help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__help__subcmd__ls_commands] )) ||
_flotta__subcmd__kv__subcmd__help__subcmd__ls_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv help ls commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__help__subcmd__rm_commands] )) ||
_flotta__subcmd__kv__subcmd__help__subcmd__rm_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv help rm commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__help__subcmd__set_commands] )) ||
_flotta__subcmd__kv__subcmd__help__subcmd__set_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv help set commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__ls_commands] )) ||
_flotta__subcmd__kv__subcmd__ls_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv ls commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__rm_commands] )) ||
_flotta__subcmd__kv__subcmd__rm_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv rm commands' commands "$@"
}
(( $+functions[_flotta__subcmd__kv__subcmd__set_commands] )) ||
_flotta__subcmd__kv__subcmd__set_commands() {
    local commands; commands=()
    _describe -t commands 'flotta kv set commands' commands "$@"
}
(( $+functions[_flotta__subcmd__list-machines_commands] )) ||
_flotta__subcmd__list-machines_commands() {
    local commands; commands=()
    _describe -t commands 'flotta list-machines commands' commands "$@"
}
(( $+functions[_flotta__subcmd__list-unit-files_commands] )) ||
_flotta__subcmd__list-unit-files_commands() {
    local commands; commands=()
    _describe -t commands 'flotta list-unit-files commands' commands "$@"
}
(( $+functions[_flotta__subcmd__list-units_commands] )) ||
_flotta__subcmd__list-units_commands() {
    local commands; commands=()
    _describe -t commands 'flotta list-units commands' commands "$@"
}
(( $+functions[_flotta__subcmd__load_commands] )) ||
_flotta__subcmd__load_commands() {
    local commands; commands=()
    _describe -t commands 'flotta load commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine_commands] )) ||
_flotta__subcmd__machine_commands() {
    local commands; commands=(
'drain:Move a machine'\''s units elsewhere and place nothing new on it' \
'undrain:Let a drained machine take units again (placed units stay put)' \
'crash:Dev cluster only (\`flotta agent --dev\`)\: simulate a power loss. The machine'\''s agent stops without a goodbye and its units are killed; the engine moves them after the lease TTL and grace period' \
'restart:Dev cluster only\: boot a crashed machine again' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta machine commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__crash_commands] )) ||
_flotta__subcmd__machine__subcmd__crash_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine crash commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__drain_commands] )) ||
_flotta__subcmd__machine__subcmd__drain_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine drain commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__help_commands] )) ||
_flotta__subcmd__machine__subcmd__help_commands() {
    local commands; commands=(
'drain:Move a machine'\''s units elsewhere and place nothing new on it' \
'undrain:Let a drained machine take units again (placed units stay put)' \
'crash:Dev cluster only (\`flotta agent --dev\`)\: simulate a power loss. The machine'\''s agent stops without a goodbye and its units are killed; the engine moves them after the lease TTL and grace period' \
'restart:Dev cluster only\: boot a crashed machine again' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta machine help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__help__subcmd__crash_commands] )) ||
_flotta__subcmd__machine__subcmd__help__subcmd__crash_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine help crash commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__help__subcmd__drain_commands] )) ||
_flotta__subcmd__machine__subcmd__help__subcmd__drain_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine help drain commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__help__subcmd__help_commands] )) ||
_flotta__subcmd__machine__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine help help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__help__subcmd__restart_commands] )) ||
_flotta__subcmd__machine__subcmd__help__subcmd__restart_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine help restart commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__help__subcmd__undrain_commands] )) ||
_flotta__subcmd__machine__subcmd__help__subcmd__undrain_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine help undrain commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__restart_commands] )) ||
_flotta__subcmd__machine__subcmd__restart_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine restart commands' commands "$@"
}
(( $+functions[_flotta__subcmd__machine__subcmd__undrain_commands] )) ||
_flotta__subcmd__machine__subcmd__undrain_commands() {
    local commands; commands=()
    _describe -t commands 'flotta machine undrain commands' commands "$@"
}
(( $+functions[_flotta__subcmd__man_commands] )) ||
_flotta__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'flotta man commands' commands "$@"
}
(( $+functions[_flotta__subcmd__plan_commands] )) ||
_flotta__subcmd__plan_commands() {
    local commands; commands=()
    _describe -t commands 'flotta plan commands' commands "$@"
}
(( $+functions[_flotta__subcmd__plugin_commands] )) ||
_flotta__subcmd__plugin_commands() {
    local commands; commands=(
'check:Validate a component against the \`flotta\:placement\` world and print its imports and exports (without running it)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta plugin commands' commands "$@"
}
(( $+functions[_flotta__subcmd__plugin__subcmd__check_commands] )) ||
_flotta__subcmd__plugin__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'flotta plugin check commands' commands "$@"
}
(( $+functions[_flotta__subcmd__plugin__subcmd__help_commands] )) ||
_flotta__subcmd__plugin__subcmd__help_commands() {
    local commands; commands=(
'check:Validate a component against the \`flotta\:placement\` world and print its imports and exports (without running it)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta plugin help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__plugin__subcmd__help__subcmd__check_commands] )) ||
_flotta__subcmd__plugin__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'flotta plugin help check commands' commands "$@"
}
(( $+functions[_flotta__subcmd__plugin__subcmd__help__subcmd__help_commands] )) ||
_flotta__subcmd__plugin__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'flotta plugin help help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__restart_commands] )) ||
_flotta__subcmd__restart_commands() {
    local commands; commands=()
    _describe -t commands 'flotta restart commands' commands "$@"
}
(( $+functions[_flotta__subcmd__scale_commands] )) ||
_flotta__subcmd__scale_commands() {
    local commands; commands=()
    _describe -t commands 'flotta scale commands' commands "$@"
}
(( $+functions[_flotta__subcmd__start_commands] )) ||
_flotta__subcmd__start_commands() {
    local commands; commands=()
    _describe -t commands 'flotta start commands' commands "$@"
}
(( $+functions[_flotta__subcmd__status_commands] )) ||
_flotta__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'flotta status commands' commands "$@"
}
(( $+functions[_flotta__subcmd__stop_commands] )) ||
_flotta__subcmd__stop_commands() {
    local commands; commands=()
    _describe -t commands 'flotta stop commands' commands "$@"
}
(( $+functions[_flotta__subcmd__submit_commands] )) ||
_flotta__subcmd__submit_commands() {
    local commands; commands=()
    _describe -t commands 'flotta submit commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit_commands] )) ||
_flotta__subcmd__unit_commands() {
    local commands; commands=(
'verify:Check unit files and print every diagnostic; exits 1 if any is an error' \
'parse:Print a unit file as fleet'\''s JSON option list, or its typed \[X-Fleet\] requirements' \
'name:Tell whether unit names are valid, and what they are made of' \
'escape:Escape or unescape strings for use in unit names (same flags as systemd-escape)' \
'expand:Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host' \
'cat:Print a unit file, optionally as an instance and with specifiers expanded' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta unit commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__cat_commands] )) ||
_flotta__subcmd__unit__subcmd__cat_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit cat commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__escape_commands] )) ||
_flotta__subcmd__unit__subcmd__escape_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit escape commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__expand_commands] )) ||
_flotta__subcmd__unit__subcmd__expand_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit expand commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help_commands] )) ||
_flotta__subcmd__unit__subcmd__help_commands() {
    local commands; commands=(
'verify:Check unit files and print every diagnostic; exits 1 if any is an error' \
'parse:Print a unit file as fleet'\''s JSON option list, or its typed \[X-Fleet\] requirements' \
'name:Tell whether unit names are valid, and what they are made of' \
'escape:Escape or unescape strings for use in unit names (same flags as systemd-escape)' \
'expand:Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host' \
'cat:Print a unit file, optionally as an instance and with specifiers expanded' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'flotta unit help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__cat_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__cat_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help cat commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__escape_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__escape_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help escape commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__expand_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__expand_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help expand commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__help_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help help commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__name_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__name_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help name commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__parse_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__parse_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help parse commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__help__subcmd__verify_commands] )) ||
_flotta__subcmd__unit__subcmd__help__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit help verify commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__name_commands] )) ||
_flotta__subcmd__unit__subcmd__name_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit name commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__parse_commands] )) ||
_flotta__subcmd__unit__subcmd__parse_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit parse commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unit__subcmd__verify_commands] )) ||
_flotta__subcmd__unit__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unit verify commands' commands "$@"
}
(( $+functions[_flotta__subcmd__unload_commands] )) ||
_flotta__subcmd__unload_commands() {
    local commands; commands=()
    _describe -t commands 'flotta unload commands' commands "$@"
}
(( $+functions[_flotta__subcmd__version_commands] )) ||
_flotta__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'flotta version commands' commands "$@"
}
(( $+functions[_flotta__subcmd__why_commands] )) ||
_flotta__subcmd__why_commands() {
    local commands; commands=()
    _describe -t commands 'flotta why commands' commands "$@"
}

if [ "$funcstack[1]" = "_flotta" ]; then
    _flotta "$@"
else
    compdef _flotta flotta
fi
