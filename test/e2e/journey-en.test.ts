import { journey } from './journey.js';

// The whole journey with an English browser (Accept-Language: en).
journey('en');
