import { journey } from './journey.js';

// The whole journey with a Chinese browser (Accept-Language: zh-CN).
journey('zh-CN');
