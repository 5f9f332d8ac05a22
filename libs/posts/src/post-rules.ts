/**
 * What a post's text may be: 1-500 characters as a person counts them
 * (graphemes), at most 4000 UTF-16 units, line breaks allowed. The API
 * validates with these rules (CreatePostDto); the web app's counter mirrors
 * them, and a spec checks the two agree.
 */
export const POST_TEXT_RULES = { min: 1, max: 500, maxCodeUnits: 4000, multiline: true } as const;
