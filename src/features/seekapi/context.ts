import type { FeatureContext } from '../feature';
import type { SeekWorkersModel } from './workersModel';

export type SeekApiContext = FeatureContext<SeekWorkersModel>;
