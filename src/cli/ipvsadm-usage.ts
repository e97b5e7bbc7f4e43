/** `webfarm ipvsadm -h`: ipvsadm 1.31's usage text, trimmed to what webfarm carries out (docs/cli.md). */
export function ipvsadmUsage(program: string, version: string): string {
  const p = program;
  return `${version}
Usage:
  ${p} -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags] [-o]
  ${p} -D virtual-service
  ${p} -C
  ${p} -R
  ${p} -S [-n]
  ${p} -a|e virtual-service -r server-address [options]
  ${p} -d virtual-service -r server-address
  ${p} -L|l [virtual-service] [options]
  ${p} -Z [virtual-service]
  ${p} --set tcp tcpfin udp
  ${p} -h

Commands:
Either long or short options are allowed.
  --add-service     -A        add virtual service with options
  --edit-service    -E        edit virtual service with options
  --delete-service  -D        delete virtual service
  --clear           -C        clear the whole table
  --restore         -R        restore rules from stdin
  --save            -S        save rules to stdout
  --add-server      -a        add real server with options
  --edit-server     -e        edit real server with options
  --delete-server   -d        delete real server
  --list            -L|-l     list the table
  --zero            -Z        zero counters in a service or all services
  --set tcp tcpfin udp        set connection timeout values
  --help            -h        display this help message

virtual-service:
  --tcp-service|-t  service-address   service-address is address[:port]
  --udp-service|-u  service-address   service-address is address[:port]

Options:
  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|sed|nq|lblc|lblcr|dh|sh|mh|fo|ovf,
                                      the default scheduler is wlc.
  --persistent   -p [timeout]         persistent service (default 300 s)
  --netmask      -M netmask           persistent granularity mask
  --real-server  -r server-address    server-address is address (and port)
  --gatewaying   -g                   gatewaying (direct routing) (ipvsadm's default; nft engine)
  --ipip         -i                   ipip encapsulation (tunneling) (nft engine)
  --masquerading -m                   masquerading (NAT) (the proxy engine's method)
  --weight       -w weight            capacity of real server
  --u-threshold  -x uthreshold        upper threshold of connections
  --l-threshold  -y lthreshold        lower threshold of connections
  --connection   -c                   output of current IPVS connections
  --timeout                           output of timeout (tcp tcpfin udp)
  --daemon                            output of daemon information
  --stats                             output of statistics information
  --rate                              output of rate information
  --exact                             expand numbers (display exact values)
  --thresholds                        output of thresholds information
  --persistent-conn                   output of persistent connection info
  --tun-info                          output of tunnel information
  --nosort                            disable sorting output of service/server entries
  --sort                              does nothing, for backwards compatibility
  --ops          -o                   one-packet scheduling
  --numeric      -n                   numeric output of addresses and ports
  --sched-flags  -b flags             scheduler flags (comma-separated)

webfarm:
  --admin-socket PATH                 the director's admin socket (default: $WEBFARM_ADMIN_SOCKET or
                                      the per-user/root default of webfarm run)
`;
}
