/** Part 4 of the fuzz suite (test/fuzz/fuzz-suite.ts): 2,500 of its 10,000 mutations. */
import { fuzzSuite } from './fuzz-suite';

fuzzSuite(3);
