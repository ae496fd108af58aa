/**
 * Points a grid cell's `<img>` at its photo's thumbnail once the loader has it. Its `data-thumb` says how far it got:
 * `loading`, `shown`, or `none` (no thumbnail: the cell's placeholder stays).
 */
import type { Attachment } from 'svelte/attachments';
import type { ThumbnailLoader } from './thumbnail-loader.ts';

export function thumbnail(loader: ThumbnailLoader, photoId: string): Attachment<HTMLImageElement> {
  return (img) => {
    img.dataset.thumb = 'loading';
    const shown = () => (img.dataset.thumb = 'shown');
    const failed = () => (img.dataset.thumb = 'none');
    img.addEventListener('load', shown);
    img.addEventListener('error', failed);
    const withdraw = loader.load(photoId, (url) => {
      if (url) img.src = url;
      else failed();
    });
    return () => {
      withdraw();
      img.removeEventListener('load', shown);
      img.removeEventListener('error', failed);
    };
  };
}
