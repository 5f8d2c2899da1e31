import { useMemo, useState } from "preact/hooks";

const PAGE = 2000;

/** A long text shown a page of lines at a time, so that a large image does not freeze the page. */
export function JsonText({ name, text }: { name: string; text: string }) {
  const lines = useMemo(() => text.split("\n"), [text]);
  const [count, setCount] = useState(PAGE);
  const more = lines.length - count;
  return (
    <div>
      <h3>{name}</h3>
      <pre class="json" data-testid="json">
        {more > 0 ? lines.slice(0, count).join("\n") : text}
      </pre>
      {more > 0 && (
        <button onClick={() => setCount(count + PAGE * 5)}>
          Show {Math.min(more, PAGE * 5)} more lines (of {more})
        </button>
      )}
    </div>
  );
}
