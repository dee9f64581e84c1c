import type { FeatureContext } from '../feature';
import type { SearchViewProvider } from './searchView';
import type { VideoSearch } from './videoSearch';

/** The video index service and the Search view that shows it. */
export interface SeekneticState {
  search: VideoSearch;
  view: SearchViewProvider;
}
export type SeekneticContext = FeatureContext<SeekneticState>;
