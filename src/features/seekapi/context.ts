import type { FeatureContext } from '../feature';
import type { SeekWorkersTree } from './workersTree';

export type SeekApiContext = FeatureContext<SeekWorkersTree>;
