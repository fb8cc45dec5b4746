// The product name this window was built with (the branding's, written into
// index.html by tools/build.ts), for text that names the product.
export function productName(doc: Document = document): string {
  return doc.querySelector<HTMLMetaElement>('meta[name="product-name"]')?.content || doc.title;
}
