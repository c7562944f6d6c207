import { setFlagsFromString } from "node:v8";

// Preloaded into the soak's gateway (NODE_OPTIONS=--require ...; Node refuses --trace-gc itself in
// NODE_OPTIONS), so that the gateway still runs as `node dist/src/main.js` and V8 prints each
// collection on stdout; soak-output.ts reads the live heap after full ones.
setFlagsFromString("--trace-gc");
