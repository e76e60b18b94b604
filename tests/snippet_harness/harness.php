<?php
// Runs the PHP snippet over every vector: argv = snippet, base URL, app id.
// stdin: id TAB hex(sbs) TAB hex(ranstr) TAB hex(secret) TAB hex(chat id), a line each;
// stdout: id TAB sbs_mm TAB link.
require $argv[1];
[$base, $app] = [$argv[2], $argv[3]];
while (($line = fgets(STDIN)) !== false) {
    $fields = explode("\t", rtrim($line, "\n"));
    $id = array_shift($fields);
    [$sbs, $ranstr, $secret, $chat] = array_map('hex2bin', $fields);
    echo $id, "\t", sign_direct_link($sbs, $ranstr, $secret), "\t",
        build_direct_link($base, $app, $chat, $sbs, $ranstr, $secret), "\n";
}
