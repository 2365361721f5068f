import type { ComponentChildren } from 'preact';

/** A list screen's table: a caption for screen readers, column headings, and one row per item. */
export function ListTable({
  caption,
  headings,
  children,
}: {
  caption: string;
  headings: string[];
  children: ComponentChildren;
}) {
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {headings.map((heading) => (
            <th scope="col" key={heading}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
