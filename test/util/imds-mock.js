#!/usr/bin/env node
/**
 * The tests' mock IMDSv2 is the local cluster's per-node metadata server (cluster/node/imds-server.js), which is
 * product code now; this path stays for the tests that spawn or require it.
 *
 *   ip netns exec NODE node test/util/imds-mock.js --fixture F.json --host 127.0.0.1 --port 8080
 */
'use strict';
const server = require('../../cluster/node/imds-server.js');

module.exports = server;

if (require.main === module) server.main(process.argv.slice(2));
