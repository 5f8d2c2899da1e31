// A text tree drawn like checkpointctl's (the treeprint package): "├── " and "└── " before each
// branch, "│   " or four spaces below; a branch with a meta tag prints "[meta]  text".

export interface TreeNode {
  text: string;
  meta?: string;
  children: TreeNode[];
}

export function node(text: string, children: TreeNode[] = [], meta?: string): TreeNode {
  return meta === undefined ? { text, children } : { text, meta, children };
}

/** The root's text, then every branch; each line ends with "\n". */
export function printTree(root: TreeNode): string {
  const out: string[] = [`${root.text}\n`];
  const walk = (n: TreeNode, indent: string): void => {
    n.children.forEach((child, i) => {
      const last = i === n.children.length - 1;
      const label = child.meta === undefined ? child.text : `[${child.meta}]  ${child.text}`;
      out.push(`${indent}${last ? "└── " : "├── "}${label}\n`);
      walk(child, indent + (last ? "    " : "│   "));
    });
  };
  walk(root, "");
  return out.join("");
}
