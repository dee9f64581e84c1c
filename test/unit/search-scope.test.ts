// What the video index takes from a workspace folder: not node_modules or .git, not GenDeck's own downloads unless
// the include glob asks for them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { indexScope } from '../../src/core/search/scope';

const root = join('/w', 'game');
const at = (...p: string[]) => join(root, ...p);

describe('video index scope', () => {
  it("skips GenDeck's downloads, node_modules and .git, and takes the rest", () => {
    const take = indexScope(root, { downloadFolder: 'gendeck-outputs', include: '**/*.{mp4,mov}' });
    assert.equal(take(at('clips', 'intro.mp4')), true);
    assert.equal(take(at('gendeck-outputs', 'vid_1.mp4')), false);
    assert.equal(take(at('gendeck-outputs', 'sub', 'v.mp4')), false);
    assert.equal(take(at('gendeck-outputs-old', 'v.mp4')), true, 'only that folder, not a name that starts alike');
    assert.equal(take(at('node_modules', 'x', 'v.mp4')), false);
    assert.equal(take(at('.git', 'v.mp4')), false);
  });
  it('takes the downloads when the include glob names their folder, and follows a nested download folder', () => {
    assert.equal(
      indexScope(root, { downloadFolder: 'gendeck-outputs', include: 'gendeck-outputs/**/*.mp4' })(
        at('gendeck-outputs', 'v.mp4'),
      ),
      true,
    );
    const nested = indexScope(root, { downloadFolder: 'assets/generated/', include: '**/*.mp4' });
    assert.equal(nested(at('assets', 'generated', 'v.mp4')), false);
    assert.equal(nested(at('assets', 'v.mp4')), true);
  });
});
