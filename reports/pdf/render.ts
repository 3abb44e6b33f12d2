import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

// The one place that knows how PDFs are rendered: fonts, access policies, output.
export const REPORT_FONT = 'NotoSansSC';

const require = createRequire(import.meta.url);
const noto = (w: string) => require.resolve(`@expo-google-fonts/noto-sans-sc/${w}/NotoSansSC_${w}.ttf`);

/** The part of pdfkit's document (which pdfmake's extends) this adapter touches. */
interface PdfKitDocument {
  _registeredFonts: Record<string, unknown>;
  _fontFamilies: Record<string, unknown>;
  _fontCount: number;
  _font: EmbeddedFont | null;
  registerFont(name: string, src: Buffer): unknown;
  font(src: unknown, family?: unknown, size?: unknown): unknown;
  outline: OutlineItem;
  initOutline(): void;
}
/** pdfkit's outline (bookmark) node. */
interface OutlineItem {
  addItem(title: string, options?: Record<string, unknown>): OutlineItem;
}
/** pdfkit's per-document wrapper of a parsed (fontkit) font: it keeps the document's subset and layout cache. */
interface EmbeddedFont {
  font: unknown;
  constructor: new (doc: PdfKitDocument, font: unknown, id: string) => EmbeddedFont;
}
let ready = false;

/**
 * Reads Noto Sans SC Regular and Bold (~21 MB) once. pdfmake's text and the readiness chart's SVG text
 * (svg-to-pdfkit) both ask pdfkit for the font by its file path; pdfkit would read the file from disk and parse it
 * for each of them in every document. Registering the preloaded bytes under that path the first time a document
 * asks makes both share one font object per weight, read from memory.
 */
export function preloadFonts(): void {
  if (ready) return;
  const regular = noto('400Regular');
  const bold = noto('700Bold');
  const bytes = new Map([
    [regular, readFileSync(regular)],
    [bold, readFileSync(bold)],
  ]);
  const pdfkit = createRequire(require.resolve('pdfmake'))('pdfkit') as { prototype: PdfKitDocument };
  const font = pdfkit.prototype.font;
  // pdfkit would also parse each weight's tables (cmap, metrics, glyphs: ~20 MB of CJK) anew in every document. The
  // parsed font is only read by pdfkit: the first document's is wrapped again for each later one, so a render thread
  // parses each weight once; the wrapper keeps each document's own subset and layout cache.
  const parsed = new Map<string, EmbeddedFont>();
  pdfkit.prototype.font = function (this: PdfKitDocument, src: unknown, family?: unknown, size?: unknown) {
    const path = typeof src === 'string' ? src : '';
    const preloaded = bytes.get(path);
    if (preloaded) {
      if (!this._registeredFonts[path]) this.registerFont(path, preloaded);
      const first = parsed.get(path);
      if (first && !this._fontFamilies[path])
        this._fontFamilies[path] = new first.constructor(this, first.font, `F${++this._fontCount}`);
    }
    const r = font.call(this, src, family, size);
    if (preloaded && !parsed.has(path) && this._font) parsed.set(path, this._font);
    return r;
  };
  // pdfmake adds each bookmark with pdfkit's default options, which point it at the page's right edge (an "XYZ"
  // destination whose left is the page width: a viewer scrolls there); a bookmark shows its whole page instead.
  const initOutline = pdfkit.prototype.initOutline;
  pdfkit.prototype.initOutline = function (this: PdfKitDocument) {
    initOutline.call(this);
    const outline = Object.getPrototypeOf(this.outline) as OutlineItem;
    if (outline.addItem.name === 'addItem') {
      const addItem = outline.addItem;
      outline.addItem = function fitPage(this: OutlineItem, title: string, options: Record<string, unknown> = {}) {
        return addItem.call(this, title, { expanded: false, ...options, fit: true });
      };
    }
  };
  fastStyleLookup();
  pdfmake.addFonts({ [REPORT_FONT]: { normal: regular, bold, italics: regular, bolditalics: bold } });
  // Reports never fetch anything: no URLs, and locally only the fonts.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => /\.(ttf|otf)$/i.test(p));
  ready = true;
}

/** pdfmake's stack of styles in effect (its named-style dictionary, and the names and override objects pushed). */
interface StyleStack {
  styleDictionary: Record<string, Record<string, unknown> | undefined>;
  defaultStyle: Record<string, unknown> | null;
  styleOverrides: unknown[];
}
type StyleItem = { style?: string | string[]; section?: unknown; [property: string]: unknown };
const isValue = (v: unknown) => v !== undefined && v !== null;

/**
 * pdfmake asks its style stack for ~20 properties of every inline it measures (each word, and each CJK character,
 * which may start a line), pushing and popping the inline's styles around each question and resolving a named
 * style's `extends` with a new closure and Set every time: a quarter of a Chinese report's CPU, and much of its garbage.
 * The same answers, found without allocating: a named style's property is resolved once per style dictionary (a
 * document's styles do not change while it is laid out), and an inline's own style names are read in place instead
 * of being pushed. The order of precedence is pdfmake 0.3's: the inline's own property, its style names last to
 * first, then the stack top to bottom, then the default style.
 */
function fastStyleLookup(): void {
  const Stack = createRequire(require.resolve('pdfmake'))('./StyleContextStack.js').default as {
    prototype: StyleStack & { getProperty(property: string): unknown };
    getStyleProperty(item: unknown, stack: StyleStack | null, property: string, defaultValue: unknown): unknown;
  };
  const resolved = new WeakMap<object, Map<string, Map<string, unknown>>>();
  const fromStyle = (dict: StyleStack['styleDictionary'], name: string, property: string, visited: Set<string>) => {
    if (visited.has(name)) return undefined;
    visited.add(name);
    const style = dict[name];
    if (!style) return undefined;
    if (isValue(style[property])) return style[property];
    if (style.extends) {
      const parents = (Array.isArray(style.extends) ? style.extends : [style.extends]) as string[];
      for (let i = parents.length - 1; i >= 0; i--) {
        const v: unknown = fromStyle(dict, parents[i]!, property, visited);
        if (isValue(v)) return v;
      }
    }
    return undefined;
  };
  const named = (dict: StyleStack['styleDictionary'], name: string, property: string): unknown => {
    let styles = resolved.get(dict);
    if (!styles) {
      styles = new Map();
      resolved.set(dict, styles);
    }
    let style = styles.get(name);
    if (!style) {
      style = new Map();
      styles.set(name, style);
    }
    if (style.has(property)) return style.get(property);
    const v = fromStyle(dict, name, property, new Set());
    style.set(property, v);
    return v;
  };
  const fromStack = (stack: StyleStack, property: string): unknown => {
    const overrides = stack.styleOverrides;
    for (let i = overrides.length - 1; i >= 0; i--) {
      const item = overrides[i];
      if (typeof item === 'string' || item instanceof String) {
        const v = named(stack.styleDictionary, String(item), property);
        if (isValue(v)) return v;
      } else if (isValue((item as StyleItem)[property])) return (item as StyleItem)[property];
    }
    return stack.defaultStyle === null ? null : stack.defaultStyle[property];
  };
  // While TextInlines.measure runs, its stack stays as it is (nothing is pushed or popped, and it changes only the
  // inlines it measures, which are not on the stack): what the stack says of a property is found once per call.
  let measuring: StyleStack | null = null;
  const answers = new Map<string, unknown>();
  const inStack = (stack: StyleStack, property: string): unknown => {
    if (stack !== measuring) return fromStack(stack, property);
    if (answers.has(property)) return answers.get(property);
    const v = fromStack(stack, property);
    answers.set(property, v);
    return v;
  };
  const Inlines = createRequire(require.resolve('pdfmake'))('./TextInlines.js').default as {
    prototype: { measure(array: unknown[], stack: StyleStack): unknown[] };
  };
  const measure = Inlines.prototype.measure;
  Inlines.prototype.measure = function (this: unknown, array: unknown[], stack: StyleStack) {
    const outer = measuring;
    measuring = stack;
    answers.clear();
    try {
      return measure.call(this, array, stack);
    } finally {
      measuring = outer;
      answers.clear();
    }
  };
  Stack.prototype.getProperty = function (this: StyleStack, property: string) {
    return fromStack(this, property);
  };
  Stack.getStyleProperty = (raw, stack, property, defaultValue) => {
    const item = raw as StyleItem;
    if (isValue(item[property])) return item[property];
    if (!stack) return defaultValue;
    // What pdfmake pushes for the question (nothing for a string or a section): the inline's style names, then the
    // inline itself, whose own property was just found missing.
    if (
      !(typeof item === 'string' || (item as unknown) instanceof String) &&
      item.section === undefined &&
      item.style
    ) {
      const names = Array.isArray(item.style) ? item.style : [item.style];
      for (let i = names.length - 1; i >= 0; i--) {
        const name = names[i]!;
        const v =
          typeof name === 'string' || (name as unknown) instanceof String
            ? named(stack.styleDictionary, String(name), property)
            : (name as StyleItem)[property];
        if (isValue(v)) return v;
      }
    }
    const v = inStack(stack, property);
    return isValue(v) ? v : defaultValue;
  };
}

/** Renders a document definition; the same definition (with a fixed `info.creationDate`) gives the same bytes. */
export async function renderPdf(def: TDocumentDefinitions): Promise<Buffer> {
  preloadFonts();
  return pdfmake.createPdf(def).getBuffer();
}
