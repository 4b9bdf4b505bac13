// The part of madge's API the cycle test uses (madge ships no types): its README's `madge(path, config)`.
declare module 'madge' {
  interface MadgeResult {
    /** Each file (relative to the base directory) and the files it imports. */
    obj(): Record<string, string[]>;
    /** Each cycle, as the files that make it. */
    circular(): string[][];
  }
  interface MadgeConfig {
    fileExtensions?: string[];
    detectiveOptions?: Record<string, Record<string, unknown>>;
  }
  export default function madge(path: string, config?: MadgeConfig): Promise<MadgeResult>;
}
