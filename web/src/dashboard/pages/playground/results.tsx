import type { RunImage } from './run-request.js';

export function Results({ images, format }: { images: RunImage[]; format: string }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2" aria-label="Results" aria-live="polite">
      {images.map((image, i) => (
        <li
          key={`${i}-${image.partial}`}
          className="rounded-lg border border-slate-200 bg-white p-2"
        >
          <img
            src={image.src}
            alt={image.partial ? `Partial image ${i + 1}` : `Result ${i + 1}`}
            className="w-full rounded"
          />
          <div className="mt-2 flex items-center justify-between text-sm">
            <span className="text-slate-600">
              {image.partial ? 'Partial, still generating…' : `Image ${i + 1}`}
            </span>
            {!image.partial && (
              <a
                href={image.src}
                download={`pixapi-${i + 1}.${format}`}
                className="font-medium text-indigo-700 underline"
              >
                Download
              </a>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
