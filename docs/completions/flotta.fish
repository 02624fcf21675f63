# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_flotta_global_optspecs
    string join \n log= h/help V/version
end

function __fish_flotta_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_flotta_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_flotta_using_subcommand
    set -l cmd (__fish_flotta_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c flotta -n "__fish_flotta_needs_command" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_needs_command" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_needs_command" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "demo" -d 'The seed walkthrough on a dev cluster: four instances behind a balancer, then a fifth joining the rotation (Ctrl-C ends it)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "unit" -d 'Check, parse and inspect unit files, unit names and specifiers'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "plan" -d 'Plan where units would run on a described cluster, and explain why not'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "agent" -d 'Run this machine\'s units: register it, run what is assigned to it, report states and endpoints (units survive an agent restart); with `--dev --machines N`, a whole development cluster in this process'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "journal" -d 'Print a unit\'s journal on this machine (`-n`, `--since`, `-f`)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "balance" -d 'Keep a load balancer following the registry: the built-in proxy (`--listen`) or external balancers\' config files (`--config`)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "confd" -d 'confd, drop-in: its flags, `confd.toml`, template resources and Go templates, from etcd (`-backend etcdv3`) or a flotta API (`-backend flotta`); `flotta confd -h` lists the flags'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "plugin" -d 'Inspect WebAssembly placement plugins'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "submit" -d 'Store unit files in the cluster (a local file, else a local template, else a template already in the cluster)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "load" -d 'Place units on machines without starting them (target `loaded`)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "start" -d 'Place and start units (target `launched`), waiting until they run'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "stop" -d 'Stop units, keeping them placed (target `loaded`)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "restart" -d 'Stop units, wait until their machines report them stopped, then start them again'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "unload" -d 'Stop units and take them off their machines (target `inactive`)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "destroy" -d 'Remove units from the cluster'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "list-units" -d 'Units and where they run: UNIT MACHINE ACTIVE SUB'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "scale" -d 'Run instances 1..N of a template (`noop@1` … `noop@N`); instances numbered above N are destroyed'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "list-unit-files" -d 'Unit files in the cluster: UNIT HASH DSTATE STATE TARGET'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "list-machines" -d 'Machines in the cluster: MACHINE IP METADATA'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "status" -d 'A unit\'s state on its machine, with the reason for a failure'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "cat" -d 'Print a unit file as the cluster stores it'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "why" -d 'Where a unit runs, or why it does not (machine by machine)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "kv" -d 'Raw keys, etcdctl-style: get, set (with --ttl), ls, rm'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "greeter" -d 'The seed\'s sample application: `GET /sample` greets, `GET /health`'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "machine" -d 'Drain a machine (its units move elsewhere) or let it take units again; crash or restart a dev cluster\'s machine'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "version" -d 'Print flotta\'s version (as `flotta --version`; fleetctl\'s `version`)'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "completions" -d 'Print a shell completion script: `flotta completions bash > /etc/bash_completion.d/flotta`'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "man" -d 'Write man pages (`flotta.1`, `flotta-start.1`, …) into a directory'
complete -c flotta -n "__fish_flotta_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l machines -d 'Machines in the dev cluster' -r
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l api-listen -d 'The cluster\'s API (default 127.0.0.1:4949, or a free port if taken)' -r
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l balancer-port -d 'Port of the balancer on 127.0.0.1 (default 8000, or a free port if taken)' -r
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l state-dir -d 'Keep the cluster\'s state here (default: a temporary directory, removed on exit)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l balancer -d 'The balancer: Apache `mod_proxy_balancer` kept current by `flotta balance --config` (when apache2 is installed), or the built-in proxy' -r -f -a "auto\t'Apache when `/usr/sbin/apache2` exists, else the built-in proxy'
builtin\t'flotta\'s built-in proxy'
apache\t'Apache `mod_proxy_balancer`'"
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l exit -d 'Stop after the tour instead of waiting for Ctrl-C'
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l etcd -d 'Run the machines as separate `flotta agent` processes sharing a local etcd cluster of as many members (needs the `etcd` binary)'
complete -c flotta -n "__fish_flotta_using_subcommand demo" -l drill -d 'After the tour, the failure drill under load: lose a machine, stop an etcd member (with --etcd), destroy an instance; prints the figures'
complete -c flotta -n "__fish_flotta_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand demo" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "verify" -d 'Check unit files and print every diagnostic; exits 1 if any is an error'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "parse" -d 'Print a unit file as fleet\'s JSON option list, or its typed [X-Fleet] requirements'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "name" -d 'Tell whether unit names are valid, and what they are made of'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "escape" -d 'Escape or unescape strings for use in unit names (same flags as systemd-escape)'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "expand" -d 'Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "cat" -d 'Print a unit file, optionally as an instance and with specifiers expanded'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and not __fish_seen_subcommand_from verify parse name escape expand cat help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from verify" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from verify" -l json -d 'Print diagnostics as a JSON array'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from parse" -l instance -d 'Treat a template file as this instance (for %i in [X-Fleet])' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from parse" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from parse" -l json -d 'Print fleet\'s JSON option list (the default)'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from parse" -l fleet -d 'Print the typed [X-Fleet] requirements as JSON instead'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from parse" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from parse" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from name" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from name" -l json -d 'Print a JSON array'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from name" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from name" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -l template -d 'Insert each result as the instance of this template unit name' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -l suffix -d 'Append this unit type suffix' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -s u -l unescape -d 'Unescape instead of escape'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -s p -l path -d 'Treat the strings as file system paths'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -l instance -d 'With --unescape, unescape only the instance part of a unit name'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -s m -l mangle -d 'Mangle a string into a valid unit name (as systemctl does)'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from escape" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from expand" -l unit -d 'The unit whose name, instance and prefix the specifiers refer to' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from expand" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from expand" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from expand" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from cat" -l instance -d 'Show the template file as this instance' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from cat" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from cat" -l expand -d 'Expand specifiers in every value (machine facts from this host)'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from cat" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from cat" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check unit files and print every diagnostic; exits 1 if any is an error'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "parse" -d 'Print a unit file as fleet\'s JSON option list, or its typed [X-Fleet] requirements'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "name" -d 'Tell whether unit names are valid, and what they are made of'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "escape" -d 'Escape or unescape strings for use in unit names (same flags as systemd-escape)'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "expand" -d 'Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "cat" -d 'Print a unit file, optionally as an instance and with specifiers expanded'
complete -c flotta -n "__fish_flotta_using_subcommand unit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l units -d 'Directory of unit files; every non-template unit in it is planned. Without `--units` and `--machines`, the live cluster is planned' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l machines -d 'JSON file with the machines: `[{"id": "...", "publicIp": "...", "metadata": {"k": "v"}}]`' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l explain -d 'Explain the placement of one unit, machine by machine' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l plugin -d 'A WebAssembly placement plugin applied to every unit (repeatable)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l unit-plugin -d 'A plugin applied only to units naming it (its file stem) in `[X-Flotta] Placement=` (repeatable)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l plugin-config -d '`KEY=VALUE` handed to every plugin\'s `init` (repeatable)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l json -d 'Print the plan as JSON'
complete -c flotta -n "__fish_flotta_using_subcommand plan" -l plugin-fail-open -d 'Ignore a failing plugin for the unit instead of leaving it unplaced'
complete -c flotta -n "__fish_flotta_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand plan" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l config -d 'Settings file (TOML; keys are these flags\' long names, e.g. `state-dir = "/var/lib/flotta"`); flags and FLOTTA_* variables win over it' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l machines -d 'With `--dev`: how many machines (1-254; default 3)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l registry -d 'The registry: `memory` (this process only), `memory:PATH` (persisted to PATH), or etcd given with `--etcd`' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l etcd -d 'etcd client URLs, comma-separated' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l etcd-prefix -d 'Key prefix of the cluster in etcd (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l etcd-cacert -d 'CA certificate that signed etcd\'s (PEM); use https:// endpoints' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l etcd-cert -d 'Client certificate for etcd (PEM), with `--etcd-key`' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l etcd-key -d 'Client key for etcd (PEM), with `--etcd-cert`' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l etcd-user -d 'etcd user, `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l state-dir -d 'Where the agent keeps unit state, output and the journal (default /var/lib/flotta; with --dev, ~/.local/state/flotta/dev)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l public-ip -d 'The address balancers and other machines reach this one at' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l private-ip -d 'The address inside the cluster network' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l metadata -d 'Metadata, `key=value,key=value` (matched by `MachineMetadata=`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l machine-id-file -d 'Read the machine ID from this file (else one is generated into the state dir; default /etc/machine-id)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l lease-ttl-secs -d 'Seconds the machine\'s lease outlives the agent (default 10)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l reschedule-grace-secs -d 'Seconds a vanished machine keeps its units before the engine moves them (default 10)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l max-starting -d 'Units this machine starts at once; later starts queue (default 32)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l api-listen -d 'Serve the API here: `unix:/path`, `IP:PORT` or `none` (default: unix:/run/flotta/flotta.sock, or flotta.sock in a --state-dir; with --dev, 127.0.0.1:4949). Over TCP clients need a token: --api-token, else one generated into the state dir (api.token, mode 0600). Off loopback TLS too' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l api-token -d 'Bearer token API clients must send' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l api-read-token -d 'A token that may only read (list, get, watch); default over TCP: one generated into the state dir (api-read.token, mode 0600)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l api-tls-cert -d 'TLS certificate (PEM) for the API' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l api-tls-key -d 'TLS key (PEM) for the API' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l dev -d 'Run a whole development cluster in this process: `--machines` simulated machines (127.0.0.N, metadata machine=N) on a registry persisted under the state dir, with the API on 127.0.0.1:4949'
complete -c flotta -n "__fish_flotta_using_subcommand agent" -l no-engine -d 'Do not run an engine here (machines without one never lead)'
complete -c flotta -n "__fish_flotta_using_subcommand agent" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand agent" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l state-dir -d 'The agent\'s state directory (the journal is its `journal/`)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand journal" -s n -l lines -d 'Show the last N entries (fleetctl\'s default: 10)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l since -d 'Only entries newer than this long ago (`10min`, `2h`, `1d`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand journal" -s f -l follow -d 'Keep printing entries as they are written, until Ctrl-C'
complete -c flotta -n "__fish_flotta_using_subcommand journal" -l json -d 'One JSON object per line (`at_us`, `stream`, `text`)'
complete -c flotta -n "__fish_flotta_using_subcommand journal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand journal" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l listen -d 'Run the built-in proxy on this address (the default balancer)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l service -d 'Follow this service\'s endpoints (`[X-Flotta] Service=`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l prefix -d 'Follow raw `host:port` keys under this prefix (the seed\'s `etcdctl set /applications/sample/… host:port`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l config -d 'Keep external balancers\' config files applied (confd-style TOML with `[[template]]` resources) instead of proxying' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l policy -d 'Built-in proxy: how a backend is chosen' -r -f -a "round-robin\t'In turn, by weight'
least-connections\t'Fewest open connections'"
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l health-path -d 'Built-in proxy: health-check with `GET PATH` (TCP connect if unset)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l check-interval-ms -d 'Built-in proxy: milliseconds between health checks' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l idle-timeout-ms -d 'Built-in proxy: close a connection with no bytes either way for this many milliseconds (slow or silent clients give their slot back)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l max-connections -d 'Built-in proxy: open client connections at most; more are closed as they are accepted' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l max-per-backend -d 'Built-in proxy: open connections per backend at most' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l drain-timeout-ms -d 'Built-in proxy: close connections to a removed backend after this many milliseconds of draining' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand balance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand balance" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand confd" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand confd" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and not __fish_seen_subcommand_from check help" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and not __fish_seen_subcommand_from check help" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Validate a component against the `flotta:placement` world and print its imports and exports (without running it)'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and __fish_seen_subcommand_from check" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and __fish_seen_subcommand_from check" -l json -d 'Print the result as JSON'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate a component against the `flotta:placement` world and print its imports and exports (without running it)'
complete -c flotta -n "__fish_flotta_using_subcommand plugin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand submit" -l replace -d 'Replace units already in the cluster with different contents (as fleetctl\'s --replace): each runs its new contents where it runs, or moves if they no longer fit its machine'
complete -c flotta -n "__fish_flotta_using_subcommand submit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand submit" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand load" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand load" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand load" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand load" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand load" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand load" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand load" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l block-attempts -d 'Give up waiting after N checks a quarter second apart (0: wait as long as it takes)' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand load" -l no-block -d 'Do not wait for the units to reach their state'
complete -c flotta -n "__fish_flotta_using_subcommand load" -l replace -d 'Replace units already in the cluster with the local files\' contents (as fleetctl\'s --replace): each is restarted with its new contents where it runs, or moves if they no longer fit its machine'
complete -c flotta -n "__fish_flotta_using_subcommand load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand load" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand start" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand start" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand start" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand start" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand start" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand start" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand start" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l block-attempts -d 'Give up waiting after N checks a quarter second apart (0: wait as long as it takes)' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand start" -l no-block -d 'Do not wait for the units to reach their state'
complete -c flotta -n "__fish_flotta_using_subcommand start" -l replace -d 'Replace units already in the cluster with the local files\' contents (as fleetctl\'s --replace): each is restarted with its new contents where it runs, or moves if they no longer fit its machine'
complete -c flotta -n "__fish_flotta_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand start" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l block-attempts -d 'Give up waiting after N checks a quarter second apart (0: wait as long as it takes)' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand stop" -l no-block -d 'Do not wait for the units to reach their state'
complete -c flotta -n "__fish_flotta_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand stop" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l block-attempts -d 'Give up waiting after N checks a quarter second apart (0: wait as long as it takes)' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand restart" -l no-block -d 'Do not wait for the units to reach their state'
complete -c flotta -n "__fish_flotta_using_subcommand restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand restart" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l block-attempts -d 'Give up waiting after N checks a quarter second apart (0: wait as long as it takes)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand unload" -l no-block -d 'Do not wait for the units to reach their state'
complete -c flotta -n "__fish_flotta_using_subcommand unload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand unload" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand destroy" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l fields -d 'Columns to print, comma-separated (see the header names, lowercase)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l no-legend -d 'Print no header row'
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l full -d 'Full machine IDs and hashes'
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -l json -d 'Rows as a JSON array of objects'
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand list-units" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l block-attempts -d 'Give up waiting after N checks a quarter second apart (0: wait as long as it takes)' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l no-block -d 'Do not wait for the instances to run'
complete -c flotta -n "__fish_flotta_using_subcommand scale" -l json -d 'A JSON summary: `{"template", "instances", "destroyed"}`'
complete -c flotta -n "__fish_flotta_using_subcommand scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand scale" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l fields -d 'Columns to print, comma-separated (see the header names, lowercase)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l no-legend -d 'Print no header row'
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l full -d 'Full machine IDs and hashes'
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -l json -d 'Rows as a JSON array of objects'
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand list-unit-files" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l fields -d 'Columns to print, comma-separated (see the header names, lowercase)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l no-legend -d 'Print no header row'
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l full -d 'Full machine IDs and hashes'
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -l json -d 'Rows as a JSON array of objects'
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand list-machines" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand status" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand status" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand status" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand status" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand status" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand status" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand status" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -s n -l lines -d 'Journal lines to show (systemctl\'s default: 10; 0 for none)' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -l state-dir -d 'The local agent\'s state directory, for journals of units that run on this machine (others come from the API)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand status" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand status" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand cat" -l json -d 'JSON output'
complete -c flotta -n "__fish_flotta_using_subcommand cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand cat" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand why" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand why" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand why" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand why" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand why" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand why" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand why" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand why" -l json -d 'JSON output'
complete -c flotta -n "__fish_flotta_using_subcommand why" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand why" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -f -a "get" -d 'Print a key\'s value (exit 1 when it does not exist)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -f -a "set" -d 'Set a key, optionally expiring after `--ttl` seconds'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -f -a "ls" -d 'List keys under a prefix (`key value` per line, or `--json`)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -f -a "rm" -d 'Remove a key (exit 1 when it did not exist)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and not __fish_seen_subcommand_from get set ls rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l ttl -d 'Remove the key after this many seconds (etcdctl\'s `--ttl`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -l json -d 'A JSON object of key -> value'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print a key\'s value (exit 1 when it does not exist)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a key, optionally expiring after `--ttl` seconds'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List keys under a prefix (`key value` per line, or `--json`)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a key (exit 1 when it did not exist)'
complete -c flotta -n "__fish_flotta_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand greeter" -l listen -d 'Address to listen on' -r
complete -c flotta -n "__fish_flotta_using_subcommand greeter" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand greeter" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand greeter" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -f -a "drain" -d 'Move a machine\'s units elsewhere and place nothing new on it'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -f -a "undrain" -d 'Let a drained machine take units again (placed units stay put)'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -f -a "crash" -d 'Dev cluster only (`flotta agent --dev`): simulate a power loss. The machine\'s agent stops without a goodbye and its units are killed; the engine moves them after the lease TTL and grace period'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -f -a "restart" -d 'Dev cluster only: boot a crashed machine again'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and not __fish_seen_subcommand_from drain undrain crash restart help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l reason -d 'Why (kept with the drain)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from drain" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l reason -d 'Why (kept with the drain)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l etcd -d 'etcd client URLs, comma-separated: talk to etcd directly (wins over --endpoint)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l etcd-prefix -d 'With --etcd: the cluster\'s key prefix (default `/flotta/v1/`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l etcd-cacert -d 'With --etcd: CA certificate that signed etcd\'s (PEM); https:// URLs' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l etcd-cert -d 'With --etcd: client certificate (PEM), with --etcd-key' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l etcd-key -d 'With --etcd: client key (PEM), with --etcd-cert' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l etcd-user -d 'With --etcd: `USER:PASSWORD`' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l driver -d 'fleetctl\'s `--driver`: `api` (its default) or `etcd`, which makes `--endpoint` (or `FLEETCTL_ENDPOINT`) name etcd\'s URLs' -r -f -a "api\t''
etcd\t''"
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l tunnel -d 'Accepted for fleetctl compatibility: flotta talks to the API or etcd directly, so no SSH tunnel is opened (a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l strict-host-key-checking -d 'Accepted for fleetctl compatibility (no SSH is involved; a note says so)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from undrain" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -l json -d 'Print the API\'s answer as JSON'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from crash" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -l endpoint -d 'The flotta API: `http://HOST:PORT`, `https://HOST:PORT` (with --ca-file) or `unix:/path`. Unset: fleetctl\'s `FLEETCTL_ENDPOINT`, else the dev cluster\'s `http://127.0.0.1:4949`' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -l token -d 'Bearer token for the API (its `--api-token`). Unset, for a loopback endpoint: the one the agent generated for this user, if any' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -l token-file -d 'File holding the bearer token (an agent\'s state dir has api.token, and api-read.token, which can only read)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -l ca-file -d 'CA certificate (PEM) that signed an https:// endpoint\'s certificate' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -l json -d 'Print the API\'s answer as JSON'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from help" -f -a "drain" -d 'Move a machine\'s units elsewhere and place nothing new on it'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from help" -f -a "undrain" -d 'Let a drained machine take units again (placed units stay put)'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from help" -f -a "crash" -d 'Dev cluster only (`flotta agent --dev`): simulate a power loss. The machine\'s agent stops without a goodbye and its units are killed; the engine moves them after the lease TTL and grace period'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Dev cluster only: boot a crashed machine again'
complete -c flotta -n "__fish_flotta_using_subcommand machine; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand version" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand version" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand version" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand completions" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand completions" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand completions" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand man" -l dir -d 'Where to write the pages (created if missing)' -r -F
complete -c flotta -n "__fish_flotta_using_subcommand man" -l log -d 'Log filter for diagnostics on stderr (e.g. `debug`, `flotta=trace`)' -r
complete -c flotta -n "__fish_flotta_using_subcommand man" -s h -l help -d 'Print help'
complete -c flotta -n "__fish_flotta_using_subcommand man" -s V -l version -d 'Print version'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "demo" -d 'The seed walkthrough on a dev cluster: four instances behind a balancer, then a fifth joining the rotation (Ctrl-C ends it)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "unit" -d 'Check, parse and inspect unit files, unit names and specifiers'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "plan" -d 'Plan where units would run on a described cluster, and explain why not'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "agent" -d 'Run this machine\'s units: register it, run what is assigned to it, report states and endpoints (units survive an agent restart); with `--dev --machines N`, a whole development cluster in this process'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "journal" -d 'Print a unit\'s journal on this machine (`-n`, `--since`, `-f`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "balance" -d 'Keep a load balancer following the registry: the built-in proxy (`--listen`) or external balancers\' config files (`--config`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "confd" -d 'confd, drop-in: its flags, `confd.toml`, template resources and Go templates, from etcd (`-backend etcdv3`) or a flotta API (`-backend flotta`); `flotta confd -h` lists the flags'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "plugin" -d 'Inspect WebAssembly placement plugins'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "submit" -d 'Store unit files in the cluster (a local file, else a local template, else a template already in the cluster)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "load" -d 'Place units on machines without starting them (target `loaded`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "start" -d 'Place and start units (target `launched`), waiting until they run'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "stop" -d 'Stop units, keeping them placed (target `loaded`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "restart" -d 'Stop units, wait until their machines report them stopped, then start them again'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "unload" -d 'Stop units and take them off their machines (target `inactive`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "destroy" -d 'Remove units from the cluster'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "list-units" -d 'Units and where they run: UNIT MACHINE ACTIVE SUB'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "scale" -d 'Run instances 1..N of a template (`noop@1` … `noop@N`); instances numbered above N are destroyed'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "list-unit-files" -d 'Unit files in the cluster: UNIT HASH DSTATE STATE TARGET'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "list-machines" -d 'Machines in the cluster: MACHINE IP METADATA'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "status" -d 'A unit\'s state on its machine, with the reason for a failure'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "cat" -d 'Print a unit file as the cluster stores it'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "why" -d 'Where a unit runs, or why it does not (machine by machine)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "kv" -d 'Raw keys, etcdctl-style: get, set (with --ttl), ls, rm'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "greeter" -d 'The seed\'s sample application: `GET /sample` greets, `GET /health`'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "machine" -d 'Drain a machine (its units move elsewhere) or let it take units again; crash or restart a dev cluster\'s machine'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "version" -d 'Print flotta\'s version (as `flotta --version`; fleetctl\'s `version`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "completions" -d 'Print a shell completion script: `flotta completions bash > /etc/bash_completion.d/flotta`'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "man" -d 'Write man pages (`flotta.1`, `flotta-start.1`, …) into a directory'
complete -c flotta -n "__fish_flotta_using_subcommand help; and not __fish_seen_subcommand_from demo unit plan agent journal balance confd plugin submit load start stop restart unload destroy list-units scale list-unit-files list-machines status cat why kv greeter machine version completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from unit" -f -a "verify" -d 'Check unit files and print every diagnostic; exits 1 if any is an error'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from unit" -f -a "parse" -d 'Print a unit file as fleet\'s JSON option list, or its typed [X-Fleet] requirements'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from unit" -f -a "name" -d 'Tell whether unit names are valid, and what they are made of'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from unit" -f -a "escape" -d 'Escape or unescape strings for use in unit names (same flags as systemd-escape)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from unit" -f -a "expand" -d 'Expand specifiers (%p, %i, %H, ...) in STRING for unit NAME on this host'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from unit" -f -a "cat" -d 'Print a unit file, optionally as an instance and with specifiers expanded'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from plugin" -f -a "check" -d 'Validate a component against the `flotta:placement` world and print its imports and exports (without running it)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "get" -d 'Print a key\'s value (exit 1 when it does not exist)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "set" -d 'Set a key, optionally expiring after `--ttl` seconds'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "ls" -d 'List keys under a prefix (`key value` per line, or `--json`)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "rm" -d 'Remove a key (exit 1 when it did not exist)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from machine" -f -a "drain" -d 'Move a machine\'s units elsewhere and place nothing new on it'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from machine" -f -a "undrain" -d 'Let a drained machine take units again (placed units stay put)'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from machine" -f -a "crash" -d 'Dev cluster only (`flotta agent --dev`): simulate a power loss. The machine\'s agent stops without a goodbye and its units are killed; the engine moves them after the lease TTL and grace period'
complete -c flotta -n "__fish_flotta_using_subcommand help; and __fish_seen_subcommand_from machine" -f -a "restart" -d 'Dev cluster only: boot a crashed machine again'
