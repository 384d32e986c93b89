import { InProcessPresence } from './presence.ts';
import { presenceSuite } from './testing/presence-suite.ts';

presenceSuite('in process', async (options) => ({
  presence: new InProcessPresence(options),
  settle: async () => {},
}));
